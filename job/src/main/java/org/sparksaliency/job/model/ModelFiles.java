package org.sparksaliency.job.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Brings a model file from any Hadoop filesystem to local disk and fingerprints it. The local copy
 * is named after (URI, size, modification time), so an executor copies a model once, and again only
 * when the file behind the URI changes.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /** A model file on local disk and the sha-256 of its bytes. */
  public record LocalModel(Path path, String sha256) {}

  /** sha-256 (hex) of the file at {@code uri}, read through its Hadoop filesystem. */
  public static String sha256(String uri, Configuration conf) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      MessageDigest md = sha256Digest();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ModelException(uri, "cannot read the model file (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Copies the model to {@code cacheDir} unless a copy of the same (URI, size, modification time)
   * is there, and checks its sha-256 against {@code expectedSha256}.
   */
  public static LocalModel localCopy(
      String uri, Configuration conf, Path cacheDir, String expectedSha256) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(p);
      String key = uri + "|" + status.getLen() + "|" + status.getModificationTime();
      String name =
          HexFormat.of().formatHex(sha256Digest().digest(key.getBytes(StandardCharsets.UTF_8)));
      Files.createDirectories(cacheDir);
      Path target = cacheDir.resolve(name.substring(0, 32) + ".pt");
      Path shaFile = cacheDir.resolve(name.substring(0, 32) + ".sha256");
      if (!Files.exists(target) || !Files.exists(shaFile)) {
        copy(fs, p, target, shaFile);
      }
      String sha = Files.readString(shaFile, StandardCharsets.UTF_8).trim();
      if (!sha.equals(expectedSha256)) {
        throw new ModelException(
            uri,
            String.format(
                "sha-256 is %s, expected %s (the file changed during the run or does not match --model-sha256)",
                sha, expectedSha256),
            null);
      }
      return new LocalModel(target, sha);
    } catch (IOException e) {
      throw new ModelException(
          uri, "cannot copy the model file to local disk (" + e.getMessage() + ")", e);
    }
  }

  private static void copy(FileSystem fs, org.apache.hadoop.fs.Path src, Path target, Path shaFile)
      throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "copy-", ".part");
    try {
      MessageDigest md = sha256Digest();
      try (InputStream in = new DigestInputStream(fs.open(src), md);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      Path shaTmp = Files.createTempFile(target.getParent(), "sha-", ".part");
      Files.writeString(shaTmp, HexFormat.of().formatHex(md.digest()), StandardCharsets.UTF_8);
      move(tmp, target);
      move(shaTmp, shaFile);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
