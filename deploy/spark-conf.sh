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

# job_conf_args appends the settings every spark-submit of the job uses to CONF_ARGS: executor size, DJL
# offline on driver and executors, and Parquet timestamps as INT64 microseconds (read by any engine).
job_conf_args() {
  CONF_ARGS+=(
    --conf spark.executor.cores=4
    --conf spark.executor.memory=8g
    --conf spark.executor.memoryOverhead=4g
    --conf spark.driver.extraJavaOptions=-Dai.djl.offline=true
    --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true
    --conf spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS
  )
}
