package io.plainroute.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The HTTP API of the lab's Prometheus (lab.sh up --prometheus), through its loopback relay. */
final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  PrometheusApi(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** {@code GET /api/v1/query?query=EXPR}: the result vector. */
  List<JsonNode> query(String expr) {
    return elements(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).path("data").path("result"));
  }

  /** {@code GET /api/v1/alerts}: pending and firing alerts (resolved ones are gone). */
  List<JsonNode> alerts() {
    return elements(get("/api/v1/alerts").path("data").path("alerts"));
  }

  /** {@code GET /api/v1/targets}: the active scrape targets with their health. */
  List<JsonNode> targets() {
    return elements(get("/api/v1/targets?state=active").path("data").path("activeTargets"));
  }

  /** The raw answer, for the record of what the API said. */
  String raw(String pathAndQuery) {
    return send(pathAndQuery);
  }

  JsonNode get(String pathAndQuery) {
    try {
      JsonNode answer = JSON.readTree(send(pathAndQuery));
      if (!"success".equals(answer.path("status").asText())) {
        throw new IllegalStateException("Prometheus answered " + pathAndQuery + " with " + answer);
      }
      return answer;
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus answered " + pathAndQuery + " with no JSON", e);
    }
  }

  private String send(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus at " + base + " did not answer " + pathAndQuery + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
