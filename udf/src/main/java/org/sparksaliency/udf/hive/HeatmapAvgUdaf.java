package org.sparksaliency.udf.hive;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hive.ql.exec.UDFArgumentLengthException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.parse.SemanticException;
import org.apache.hadoop.hive.ql.udf.generic.AbstractGenericUDAFResolver;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDAFEvaluator;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDAFParameterInfo;
import org.apache.hadoop.hive.serde2.objectinspector.ListObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.StructField;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorUtils;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapAccumulator;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_avg(h)}: the mean of the group's min-max normalised maps as a heatmap struct of
 * the same grid. Null maps are skipped; a group without maps gives a struct of nulls, as in Spark's
 * version.
 */
public final class HeatmapAvgUdaf extends AbstractGenericUDAFResolver {
  @Override
  public GenericUDAFEvaluator getEvaluator(GenericUDAFParameterInfo info) throws SemanticException {
    ObjectInspector[] arguments = info.getParameterObjectInspectors();
    if (arguments.length != 1) {
      throw new UDFArgumentLengthException(
          String.format(
              "Cannot compute %s: it takes 1 argument (h), got %d",
              HeatmapSql.AVG, arguments.length));
    }
    HiveHeatmap.of(HeatmapSql.AVG, 0, arguments[0]);
    return new Evaluator();
  }

  /**
   * Partial results travel as struct&lt;height int, width int, count bigint, sums
   * array&lt;double&gt;&gt;.
   */
  public static final class Evaluator extends GenericUDAFEvaluator {
    private static final StructObjectInspector PARTIAL =
        ObjectInspectorFactory.getStandardStructObjectInspector(
            List.of("height", "width", "count", "sums"),
            List.of(
                PrimitiveObjectInspectorFactory.javaIntObjectInspector,
                PrimitiveObjectInspectorFactory.javaIntObjectInspector,
                PrimitiveObjectInspectorFactory.javaLongObjectInspector,
                ObjectInspectorFactory.getStandardListObjectInspector(
                    PrimitiveObjectInspectorFactory.javaDoubleObjectInspector)));

    private transient HiveHeatmap input;
    private transient StructObjectInspector partial;

    @Override
    public ObjectInspector init(Mode mode, ObjectInspector[] parameters) throws HiveException {
      super.init(mode, parameters);
      if (mode == Mode.PARTIAL1 || mode == Mode.COMPLETE) {
        input = HiveHeatmap.of(HeatmapSql.AVG, 0, parameters[0]);
      } else {
        partial = (StructObjectInspector) parameters[0];
      }
      return mode == Mode.PARTIAL1 || mode == Mode.PARTIAL2 ? PARTIAL : HiveHeatmap.RESULT;
    }

    /** The running mean. */
    static final class Buffer extends AbstractAggregationBuffer {
      HeatmapAccumulator mean = new HeatmapAccumulator();
    }

    @Override
    public AggregationBuffer getNewAggregationBuffer() {
      return new Buffer();
    }

    @Override
    public void reset(AggregationBuffer buffer) {
      ((Buffer) buffer).mean = new HeatmapAccumulator();
    }

    @Override
    public void iterate(AggregationBuffer buffer, Object[] parameters) {
      EncodedHeatmap h = input.read(parameters[0]);
      if (h != null) {
        ((Buffer) buffer).mean.add(h);
      }
    }

    @Override
    public Object terminatePartial(AggregationBuffer buffer) {
      HeatmapAccumulator mean = ((Buffer) buffer).mean;
      List<Double> sums = new ArrayList<>();
      if (mean.count() > 0) {
        for (double s : mean.sums()) {
          sums.add(s);
        }
      }
      return new Object[] {mean.height(), mean.width(), mean.count(), sums};
    }

    @Override
    public void merge(AggregationBuffer buffer, Object partialResult) {
      if (partialResult == null) {
        return;
      }
      List<? extends StructField> f = partial.getAllStructFieldRefs();
      long count =
          PrimitiveObjectInspectorUtils.getLong(
              field(partialResult, f.get(2)), primitive(f.get(2)));
      if (count == 0) {
        return;
      }
      ListObjectInspector listInspector = (ListObjectInspector) f.get(3).getFieldObjectInspector();
      PrimitiveObjectInspector element =
          (PrimitiveObjectInspector) listInspector.getListElementObjectInspector();
      Object list = field(partialResult, f.get(3));
      double[] sums = new double[listInspector.getListLength(list)];
      for (int i = 0; i < sums.length; i++) {
        sums[i] =
            PrimitiveObjectInspectorUtils.getDouble(listInspector.getListElement(list, i), element);
      }
      ((Buffer) buffer)
          .mean.merge(
              HeatmapAccumulator.of(
                  PrimitiveObjectInspectorUtils.getInt(
                      field(partialResult, f.get(0)), primitive(f.get(0))),
                  PrimitiveObjectInspectorUtils.getInt(
                      field(partialResult, f.get(1)), primitive(f.get(1))),
                  sums,
                  count));
    }

    @Override
    public Object terminate(AggregationBuffer buffer) {
      EncodedHeatmap mean = ((Buffer) buffer).mean.mean();
      return mean == null ? new Object[HeatmapSql.FIELDS.size()] : HiveHeatmap.struct(mean);
    }

    private Object field(Object struct, StructField field) {
      return partial.getStructFieldData(struct, field);
    }

    private static PrimitiveObjectInspector primitive(StructField field) {
      return (PrimitiveObjectInspector) field.getFieldObjectInspector();
    }
  }
}
