package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ledgerline verify [--aggregate ID]}: asks the audit API to verify the event store's hash
 * chains and signed checkpoints, prints the report and a one-line verdict, and exits non-zero when
 * history was altered.
 */
public final class VerifyCommand {

  private static final Pattern CHECKED = Pattern.compile("\"checked\"\\s*:\\s*(\\d+)");

  private VerifyCommand() {}

  public static boolean run(StackConfig config, String aggregateId, PrintStream out)
      throws IOException, InterruptedException {
    String token =
        new DevTokens(config).issue("ledgerline-cli", List.of("auditor"), Duration.ofMinutes(5));
    String body =
        aggregateId == null ? "{}" : "{\"aggregateId\":\"" + aggregateId.replace("\"", "") + "\"}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(config.queryUrl() + "/api/v1/audit/verify"))
                    .timeout(Duration.ofMinutes(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    out.println(response.body());
    boolean intact = response.statusCode() == 200 && response.body().contains("\"valid\":true");
    out.println(verdict(response.statusCode(), response.body(), intact));
    return intact;
  }

  /** One line a person reads instead of the JSON: intact, altered, or why there is no answer. */
  static String verdict(int status, String body, boolean intact) {
    if (status != 200) {
      return "verify failed: HTTP " + status + " from the audit API";
    }
    Matcher checked = CHECKED.matcher(body);
    String events = checked.find() ? checked.group(1) + " events checked" : "events checked";
    return intact
        ? "history intact: " + events + ", no broken link"
        : "HISTORY ALTERED: " + events + "; the first broken link is in the report above";
  }
}
