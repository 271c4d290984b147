package org.sparksaliency.job.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where option text comes from: command-line flags and a YAML file ({@code --config}), merged with
 * the flags over the file. Names are checked against {@link JobOptions#ALL}; values are read by
 * {@link ConfigBuilder}.
 */
final class OptionSources {
  private OptionSources() {}

  /** The flags, over the {@code --config} file's values when one is named. */
  static Map<String, String> merge(String... args) {
    Map<String, String> flags = parseFlags(args, JobOptions::named);
    Map<String, String> values = new LinkedHashMap<>();
    String configFile = flags.get("config");
    if (configFile != null) {
      values.putAll(readYaml(configFile));
    }
    values.putAll(flags);
    values.remove("config");
    return values;
  }

  /**
   * Flags {@code --name value} or {@code --name=value}; a true/false option may be given bare.
   * {@code named} returns the declared option of a name or fails naming the known ones.
   */
  static Map<String, String> parseFlags(
      String[] args, java.util.function.Function<String, Option<?>> named) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException(
            "Cannot use argument '" + a + "': options start with -- (see --help)");
      }
      String name;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        name = a.substring(2);
        if (named.apply(name).flag() && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
          value = "true"; // a bare --incremental or --layer-stats switches it on
        } else if (i + 1 >= args.length) {
          throw ConfigException.of(name, "it needs a value");
        } else {
          value = args[++i];
        }
      }
      Option<?> unused = named.apply(name); // fails for an unknown name
      if (flags.put(name, value) != null) {
        throw ConfigException.of(name, "it is given twice");
      }
    }
    return flags;
  }

  /**
   * Reads a YAML mapping of option names to scalars or lists; never constructs arbitrary objects.
   */
  static Map<String, String> readYaml(String file) {
    Object doc;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw ConfigException.of("config", "cannot read '%s' (%s)", file, e.getMessage());
    } catch (RuntimeException e) {
      throw ConfigException.of(
          "config", "'%s' is not valid YAML (%s)", file, oneLine(e.getMessage()));
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map)) {
      throw ConfigException.of("config", "'%s' must be a mapping of option names to values", file);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
      String key = String.valueOf(e.getKey());
      JobOptions.named(key);
      if ("config".equals(key)) {
        throw ConfigException.of("config", "'%s' cannot name another config file", file);
      }
      out.put(key, yamlScalar(key, e.getValue()));
    }
    return out;
  }

  private static String yamlScalar(String key, Object v) {
    if (v == null) {
      throw ConfigException.of(key, "it has no value in the config file");
    }
    if (v instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) v) {
        if (o instanceof Map || o instanceof List) {
          throw ConfigException.of(key, "list items must be plain values (%s)", o);
        }
        parts.add(String.valueOf(o));
      }
      return String.join(",", parts);
    }
    if (v instanceof Map) {
      throw ConfigException.of(key, "it must be a value or a list, not a mapping");
    }
    return String.valueOf(v);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
