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
# offline on driver and executors, libtorch's OpenMP threads sleeping between ops (OMP_WAIT_POLICY=PASSIVE:
# spinning workers take the cores the task threads decode on), and Parquet timestamps as INT64
# microseconds (read by any engine).
job_conf_args() {
  CONF_ARGS+=(
    --conf spark.executor.cores=4
    --conf spark.executor.memory=8g
    --conf spark.executor.memoryOverhead=4g
    --conf spark.driver.extraJavaOptions=-Dai.djl.offline=true
    --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true
    --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE
    --conf spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS
  )
}

# jar_classifier prints the shaded jar's classifier for SALIENCY_SPARK_LINE (4.0, the default build, or 3.5,
# built with -Pspark-3.5) and SALIENCY_GPU (1: the -Pgpu jar): spark4.0_2.13, spark3.5_2.12-gpu, ...
jar_classifier() {
  local line="${SALIENCY_SPARK_LINE:-4.0}" scala
  case "$line" in
    4.0) scala=2.13 ;;
    3.5) scala=2.12 ;;
    *) echo "Cannot pick the jar: SALIENCY_SPARK_LINE must be 4.0 or 3.5 ($line)" >&2; return 1 ;;
  esac
  if [[ "${SALIENCY_GPU:-0}" == 1 ]]; then
    echo "spark${line}_${scala}-gpu"
  else
    echo "spark${line}_${scala}"
  fi
}
