package org.sparksaliency.job.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server on 127.0.0.1: S3Proxy over its in-memory ("transient") blob store, in a
 * child JVM (its Jetty and Guava stay off Spark's classpath). The store is a flat key space like
 * S3; S3Proxy's filesystem stores map keys to files and folders and fail on S3A's directory markers
 * ("x/" next to "x/y").
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "saliency-test-access";

  /** Fixed test credential; tests assert it never reaches logs or run.json. */
  static final String SECRET_KEY = "s3cr3t-Saliency-Test-Key-0b5e1f";

  private final ChildJvm jvm;
  private final int port;

  private S3ProxyServer(ChildJvm jvm, int port) {
    this.jvm = jvm;
    this.port = port;
  }

  static S3ProxyServer start(Path jar, Path workDir) throws IOException, InterruptedException {
    int port = ChildJvm.freePort();
    Path props = workDir.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient",
            ""),
        StandardCharsets.UTF_8);
    ChildJvm jvm =
        ChildJvm.start(
            "s3proxy",
            List.of("-Xmx256m", "-jar", jar.toString(), "--properties", props.toString()),
            Map.of(),
            workDir.resolve("s3proxy.log"));
    jvm.awaitPort(port, Duration.ofSeconds(60));
    return new S3ProxyServer(jvm, port);
  }

  /**
   * Creates a bucket with the AWS SDK v2 (S3A never creates buckets): the SDK of hadoop-aws 3.4 on
   * the default line, a test dependency on the Spark 3.5 line.
   */
  void createBucket(String name) {
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(name));
    }
  }

  /** Multipart uploads started and neither completed nor aborted, in {@code bucket}. */
  int pendingUploads(String bucket) {
    try (S3Client client = client()) {
      return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }
  }

  private S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * The Hadoop settings (without the {@code spark.hadoop.} prefix) that point S3A at this server.
   */
  Map<String, String> s3aSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", endpoint());
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    s.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", ACCESS_KEY);
    s.put("fs.s3a.secret.key", SECRET_KEY);
    // Fail fast instead of retrying for minutes if the server misbehaves.
    s.put("fs.s3a.attempts.maximum", "2");
    s.put("fs.s3a.retry.limit", "2");
    s.put("fs.s3a.connection.establish.timeout", "5000");
    s.put("fs.s3a.connection.timeout", "30000");
    return s;
  }

  String log() throws IOException {
    return jvm.output();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
