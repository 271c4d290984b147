package org.sparksaliency.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol with the JDK's own
 * WebSocket client: opens a page, waits for its load event, evaluates an expression, and collects
 * the console errors, uncaught exceptions and log errors (failed resource loads) the page produced.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a page did: the evaluated expression's value and every error it reported. */
  record Page(JsonNode value, List<String> errors) {}

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  private HeadlessChromium(Process process, URI devtools) {
    this.process = process;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(devtools, new Listener())
            .join();
  }

  /**
   * Starts Chromium with its profile in {@code profile}; fails naming the install command when it
   * is missing.
   */
  static HeadlessChromium start(Path profile) throws IOException, InterruptedException {
    String exe = executable();
    Process p =
        new ProcessBuilder(
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    CompletableFuture<URI> url = new CompletableFuture<>();
    Thread stderr =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  Matcher m = DEVTOOLS.matcher(line);
                  if (m.find()) {
                    url.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(
                  new IllegalStateException("Cannot start Chromium: it exited before listening"));
            },
            "chromium-stderr");
    stderr.setDaemon(true);
    stderr.start();
    try {
      return new HeadlessChromium(p, url.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("Cannot start Chromium (" + exe + "): " + e.getMessage(), e);
    }
  }

  private static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    throw new IllegalStateException(
        "Cannot start Chromium: no chromium on PATH; install it (apt-get install -y chromium, as bin/test does)");
  }

  /**
   * Opens {@code url} in a new tab, waits for its load event, then evaluates {@code expression} (by
   * value).
   */
  Page open(String url, String expression, Duration timeout) throws Exception {
    String target =
        call(null, "Target.createTarget", Map.of("url", "about:blank"), timeout)
            .path("targetId")
            .asText();
    String session =
        call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true), timeout)
            .path("sessionId")
            .asText();
    for (String domain : List.of("Runtime.enable", "Log.enable", "Page.enable")) {
      call(session, domain, Map.of(), timeout);
    }
    call(session, "Page.navigate", Map.of("url", url), timeout);
    awaitEvent(session, "Page.loadEventFired", timeout);
    Thread.sleep(300); // late console messages
    JsonNode value =
        call(
                session,
                "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true),
                timeout)
            .path("result")
            .path("value");
    return new Page(value, errors(session));
  }

  private List<String> errors(String session) {
    List<String> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode e : events) {
        if (!session.equals(e.path("sessionId").asText())) {
          continue;
        }
        String method = e.path("method").asText();
        JsonNode params = e.path("params");
        if (method.equals("Runtime.exceptionThrown")) {
          out.add("exception: " + params.path("exceptionDetails"));
        } else if (method.equals("Runtime.consoleAPICalled")
            && List.of("error", "assert").contains(params.path("type").asText())) {
          out.add("console." + params.path("type").asText() + ": " + params.path("args"));
        } else if (method.equals("Log.entryAdded")
            && params.path("entry").path("level").asText().equals("error")) {
          out.add(
              "log: "
                  + params.path("entry").path("text").asText()
                  + " "
                  + params.path("entry").path("url").asText());
        }
      }
    }
    return out;
  }

  private JsonNode call(String session, String method, Map<String, Object> params, Duration timeout)
      throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", JSON.valueToTree(params));
    if (session != null) {
      msg.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(msg), true).join();
    JsonNode r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r.has("error")) {
      throw new IllegalStateException("Cannot run " + method + " in Chromium: " + r.get("error"));
    }
    return r.path("result");
  }

  private void awaitEvent(String session, String method, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (events.stream()
          .noneMatch(
              e ->
                  method.equals(e.path("method").asText())
                      && session.equals(e.path("sessionId").asText()))) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "Cannot load page in Chromium: no " + method + " within " + timeout);
        }
        events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  @Override
  public void close() {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        handle(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(String message) {
      JsonNode m;
      try {
        m = JSON.readTree(message);
      } catch (IOException e) {
        return;
      }
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
        if (f != null) {
          f.complete(m);
        }
      } else {
        synchronized (events) {
          events.add(m);
          events.notifyAll();
        }
      }
    }
  }
}
