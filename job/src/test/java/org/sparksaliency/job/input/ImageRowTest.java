package org.sparksaliency.job.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.summary.Box;
import scala.collection.JavaConverters;

class ImageRowTest {
  @Test
  void optionalColumnsTheDatasetLacksReadAsNull() {
    StructType schema = new StructType().add(ImageRows.PATH, DataTypes.StringType);
    ImageRow row = ImageRow.of(new GenericRowWithSchema(new Object[] {"s3a://b/a.jpg"}, schema));

    assertThat(row.path()).isEqualTo("s3a://b/a.jpg");
    assertThat(row.content()).isNull();
    assertThat(row.declaredLength()).isEqualTo(-1);
    assertThat(row.hasPixels()).isFalse();
    assertThat(row.label()).isNull();
    assertThat(row.box()).isEmpty();
    assertThat(row.keptMethods("id", List.of("gradient"))).isEmpty();
  }

  @Test
  @SuppressWarnings("deprecation") // JavaConverters: the one converter of Scala 2.12 and 2.13
  void presentColumnsAreReadByName() {
    StructType schema =
        new StructType()
            .add(ImageRows.DONE_METHODS, DataTypes.createArrayType(DataTypes.StringType))
            .add(ImageRows.BOX_Y1, DataTypes.DoubleType)
            .add(ImageRows.BOX_X1, DataTypes.DoubleType)
            .add(ImageRows.BOX_Y0, DataTypes.DoubleType)
            .add(ImageRows.BOX_X0, DataTypes.DoubleType)
            .add(ImageRows.LABEL, DataTypes.StringType)
            .add(ImageRows.CONTENT, DataTypes.BinaryType)
            .add(ImageRows.DONE_IMAGE_ID, DataTypes.StringType)
            .add(ImageRows.PATH, DataTypes.StringType);
    Row spark =
        new GenericRowWithSchema(
            new Object[] {
              // A Scala Seq, as Spark holds an array column, in Scala 2.12 and 2.13 alike.
              JavaConverters.asScalaBuffer(List.of("gradient", "gradcam")),
              40.0,
              30.0,
              20.0,
              10.0,
              "cat",
              new byte[] {1, 2, 3},
              "id-1",
              "a.jpg"
            },
            schema);
    ImageRow row = ImageRow.of(spark);

    assertThat(row.path()).isEqualTo("a.jpg");
    assertThat(row.content()).containsExactly(1, 2, 3);
    assertThat(row.declaredLength()).isEqualTo(3);
    assertThat(row.label()).isEqualTo("cat");
    assertThat(row.box()).contains(new Box(10.0, 20.0, 30.0, 40.0));
    assertThat(row.keptMethods("id-1", List.of("gradcam", "smoothgrad")))
        .isEqualTo(Set.of("gradcam"));
    assertThat(row.keptMethods("id-2", List.of("gradcam"))).isEmpty();
  }
}
