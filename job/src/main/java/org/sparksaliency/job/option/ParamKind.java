package org.sparksaliency.job.option;

/**
 * How an option's value travels as a Spark ML param of the transformer: the param class it becomes
 * and how its value turns back into option text.
 */
public enum ParamKind {
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  TEXT,
  TEXT_LIST,
  NUMBER_LIST
}
