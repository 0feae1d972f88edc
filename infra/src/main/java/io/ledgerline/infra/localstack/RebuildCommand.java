package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ledgerline rebuild <projection>}: starts a rebuild and follows its progress. */
public final class RebuildCommand {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern ID = Pattern.compile("\"rebuildId\":\"([^\"]+)\"");

  private RebuildCommand() {}

  /**
   * Starts the rebuild with an admin token minted from the stack's development key, then prints its
   * progress until it ends.
   */
  public static boolean run(StackConfig config, String projection, PrintStream out)
      throws IOException, InterruptedException {
    String queryUrl = config.queryUrl();
    String token =
        new DevTokens(config)
            .issue("ledgerline-cli", java.util.List.of("admin"), Duration.ofMinutes(30));
    HttpResponse<String> started =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(queryUrl + "/api/v1/admin/rebuilds"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"projection\":\"" + projection + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher id = ID.matcher(started.body());
    if (started.statusCode() != 202 || !id.find()) {
      out.println("rebuild not started: " + started.body());
      return false;
    }
    String url = queryUrl + "/api/v1/admin/rebuilds/" + id.group(1);
    out.println("rebuild " + id.group(1) + " of " + projection + " started; progress at " + url);
    while (true) {
      Thread.sleep(1_000);
      String progress =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      out.println(progress);
      if (progress.contains("\"phase\":\"FAILED\"")) {
        return false;
      }
      if (progress.contains("\"done\":true")) {
        return true;
      }
    }
  }
}
