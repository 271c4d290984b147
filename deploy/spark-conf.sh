# Sourced by the spark-submit scripts: turns Spark properties files (conf/*.conf) into --conf arguments.
# conf_args FILE... appends "--conf" "key=value" pairs to the array CONF_ARGS.
conf_args() {
  local f line key value
  for f in "$@"; do
    while IFS= read -r line || [[ -n "$line" ]]; do
      [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
      if [[ "$line" =~ ^[[:space:]]*([^[:space:]=]+)[[:space:]]*[=[:space:]][[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
        key="${BASH_REMATCH[1]}"
        value="${BASH_REMATCH[2]}"
        CONF_ARGS+=(--conf "$key=$value")
      fi
    done < "$f"
  done
}
