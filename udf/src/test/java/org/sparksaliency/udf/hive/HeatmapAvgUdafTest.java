package org.sparksaliency.udf.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDAFEvaluator;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDAFEvaluator.AggregationBuffer;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDAFEvaluator.Mode;
import org.apache.hadoop.hive.ql.udf.generic.SimpleGenericUDAFParameterInfo;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.junit.jupiter.api.Test;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * The Hive aggregate through each of Hive's modes, as an engine drives it across map and reduce
 * sides.
 */
class HeatmapAvgUdafTest {
  private static final StructObjectInspector H =
      ObjectInspectorFactory.getStandardStructObjectInspector(
          HeatmapSql.FIELDS,
          List.of(
              PrimitiveObjectInspectorFactory.javaByteArrayObjectInspector,
              PrimitiveObjectInspectorFactory.javaFloatObjectInspector,
              PrimitiveObjectInspectorFactory.javaFloatObjectInspector,
              PrimitiveObjectInspectorFactory.javaIntObjectInspector,
              PrimitiveObjectInspectorFactory.javaIntObjectInspector));
  private static final Object[] A = {new byte[] {0, (byte) 255, (byte) 255}, 0f, 1f, 1, 3};
  private static final Object[] B = {new byte[] {(byte) 255, 0, (byte) 255}, 5f, 9f, 1, 3};

  @Test
  void partialsMergedOnAnotherSideGiveTheCompleteMean() throws Exception {
    GenericUDAFEvaluator complete = evaluator();
    complete.init(Mode.COMPLETE, new ObjectInspector[] {H});
    AggregationBuffer all = complete.getNewAggregationBuffer();
    complete.iterate(all, new Object[] {A});
    complete.iterate(all, new Object[] {B});
    complete.iterate(all, new Object[] {null});
    Object expected = complete.terminate(all);

    GenericUDAFEvaluator map = evaluator();
    ObjectInspector partial = map.init(Mode.PARTIAL1, new ObjectInspector[] {H});
    AggregationBuffer left = map.getNewAggregationBuffer();
    map.iterate(left, new Object[] {A});
    AggregationBuffer right = map.getNewAggregationBuffer();
    map.iterate(right, new Object[] {B});
    AggregationBuffer none = map.getNewAggregationBuffer();

    GenericUDAFEvaluator combine = evaluator();
    combine.init(Mode.PARTIAL2, new ObjectInspector[] {partial});
    AggregationBuffer combined = combine.getNewAggregationBuffer();
    combine.merge(combined, map.terminatePartial(left));
    combine.merge(combined, map.terminatePartial(none));

    GenericUDAFEvaluator reduce = evaluator();
    reduce.init(Mode.FINAL, new ObjectInspector[] {partial});
    AggregationBuffer fin = reduce.getNewAggregationBuffer();
    reduce.merge(fin, combine.terminatePartial(combined));
    reduce.merge(fin, map.terminatePartial(right));
    Object[] result = (Object[]) reduce.terminate(fin);

    assertThat(heatmap(result)).isEqualTo(heatmap((Object[]) expected));
    // normalised means 0.5, 0.5, 1 -> range [0.5, 1]
    assertThat(heatmap(result))
        .isEqualTo(new EncodedHeatmap(1, 3, 0.5f, 1, new byte[] {0, 0, (byte) 255}));
  }

  @Test
  void aGroupWithoutMapsGivesAStructOfNulls() throws Exception {
    GenericUDAFEvaluator e = evaluator();
    e.init(Mode.COMPLETE, new ObjectInspector[] {H});
    assertThat((Object[]) e.terminate(e.getNewAggregationBuffer())).containsOnlyNulls().hasSize(5);
  }

  @Test
  void anotherArgumentTypeIsRejected() {
    assertThatThrownBy(
            () ->
                new HeatmapAvgUdaf()
                    .getEvaluator(
                        new SimpleGenericUDAFParameterInfo(
                            new ObjectInspector[] {
                              PrimitiveObjectInspectorFactory.javaByteArrayObjectInspector
                            },
                            false,
                            false,
                            false)))
        .hasMessage(
            "Cannot compute heatmap_avg: argument 1 must be struct(heatmap, heatmap_min, heatmap_max, heatmap_height, "
                + "heatmap_width) in this order, a "
                + HeatmapSql.H_TYPE
                + " (got binary)");
  }

  private static GenericUDAFEvaluator evaluator() throws Exception {
    return new HeatmapAvgUdaf()
        .getEvaluator(
            new SimpleGenericUDAFParameterInfo(new ObjectInspector[] {H}, false, false, false));
  }

  private static EncodedHeatmap heatmap(Object[] s) {
    return new EncodedHeatmap(
        (Integer) s[3], (Integer) s[4], (Float) s[1], (Float) s[2], (byte[]) s[0]);
  }
}
