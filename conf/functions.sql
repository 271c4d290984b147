-- The heatmap SQL functions as permanent functions of the current database, for spark-sql (or any Spark
-- session with Hive support). Run once per metastore, giving the path or URI of the udf jar:
--
--   spark-sql --hivevar udf_jar=$PWD/udf/target/saliency-udf-0.1.0-SNAPSHOT.jar -f conf/functions.sql
--
-- Each function then works in every later session: Spark adds the jar when a query first uses it.
-- The heatmap argument h is struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width);
-- see docs/tables.md, "SQL functions".
CREATE OR REPLACE FUNCTION heatmap_decode AS 'org.sparksaliency.udf.hive.HeatmapDecodeUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_resize AS 'org.sparksaliency.udf.hive.HeatmapResizeUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_mass_in_box AS 'org.sparksaliency.udf.hive.HeatmapMassInBoxUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_iou AS 'org.sparksaliency.udf.hive.HeatmapIouUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_peak AS 'org.sparksaliency.udf.hive.HeatmapPeakUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_png AS 'org.sparksaliency.udf.hive.HeatmapPngUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_overlay AS 'org.sparksaliency.udf.hive.HeatmapOverlayUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_similarity AS 'org.sparksaliency.udf.hive.HeatmapSimilarityUdf' USING JAR '${udf_jar}';
CREATE OR REPLACE FUNCTION heatmap_avg AS 'org.sparksaliency.udf.hive.HeatmapAvgUdaf' USING JAR '${udf_jar}';
