package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The query side on the real stack: read-your-writes, paging, aggregations and the live feed. */
@SystemTest
@Order(10)
class QuerySideIT {

  @Test
  void minVersionReadsYourOwnWrite() {
    String account = openAccount("EUR", "ryw");
    var deposit = command(account, "deposits", "{\"amount\":42}");
    String version = deposit.header("ETag").replace("\"", "");

    var read = get(config().queryUrl() + "/api/v1/accounts/" + account + "?minVersion=" + version);

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("balance").asLong()).isEqualTo(42);
    assertThat(read.json().get("version").asLong()).isEqualTo(Long.parseLong(version));
  }

  @Test
  void aVersionNotReachedInTimeIsAProblemWithRetryAfter() {
    String account = openAccount("EUR", "ryw-future");
    var read = get(config().queryUrl() + "/api/v1/accounts/" + account + "?minVersion=99");
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.header("Retry-After")).isEqualTo("1");
    assertThat(read.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:projection-behind");
  }

  @Test
  void minVersionOnATransferReadsItsOwnWrite() {
    String from = openAccount("EUR", "ryw-transfer");
    String to = openAccount("EUR", "ryw-transfer");
    command(from, "deposits", "{\"amount\":100}");
    var requested =
        Ledgerline.post(
            config().commandUrl() + "/api/v1/transfers",
            "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":30}",
            Map.of());
    assertThat(requested.status()).isEqualTo(202);
    String transferId = requested.json().get("transferId").asText();

    var read = get(config().queryUrl() + "/api/v1/transfers/" + transferId + "?minVersion=0");

    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().get("transferId").asText()).isEqualTo(transferId);
    assertThat(read.json().get("amount").asLong()).isEqualTo(30);
    assertThat(read.header("ETag")).isEqualTo("\"" + read.json().get("version").asLong() + "\"");

    // Finished on the command side (its event 1): that version is readable at once here too.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var status = get(config().commandUrl() + "/api/v1/transfers/" + transferId);
              return status.status() == 200
                  && !"REQUESTED".equals(status.json().get("status").asText());
            });
    var finished = get(config().queryUrl() + "/api/v1/transfers/" + transferId + "?minVersion=1");
    assertThat(finished.status()).as(finished.body()).isEqualTo(200);
    assertThat(finished.json().get("status").asText()).isEqualTo("COMPLETED");
    assertThat(finished.json().get("version").asLong()).isEqualTo(1);
  }

  @Test
  void minVersionOnAnAccountsTransactionsListsItsOwnWrite() {
    String account = openAccount("EUR", "ryw-transactions");
    command(account, "deposits", "{\"amount\":5}");
    var withdrawal = command(account, "withdrawals", "{\"amount\":2}");
    long version = Long.parseLong(withdrawal.header("ETag").replace("\"", ""));

    var page =
        get(
            config().queryUrl()
                + "/api/v1/accounts/"
                + account
                + "/transactions?minVersion="
                + version);

    assertThat(page.status()).as(page.body()).isEqualTo(200);
    JsonNode items = page.json().get("items");
    assertThat(items.size()).isEqualTo(2);
    assertThat(items.get(0).get("sequence").asLong()).isEqualTo(version);
    assertThat(items.get(0).get("type").asText()).isEqualTo("WITHDRAWAL");
    assertThat(items.get(0).get("balanceAfter").asLong()).isEqualTo(3);
  }

  @Test
  void aTransactionsVersionNotReachedInTimeIsAProblemWithRetryAfter() {
    String account = openAccount("EUR", "ryw-transactions-future");
    var read =
        get(config().queryUrl() + "/api/v1/accounts/" + account + "/transactions?minVersion=99");
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.header("Retry-After")).isEqualTo("1");
    assertThat(read.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:projection-behind");
  }

  @Test
  void paginationIsCompleteAndDuplicateFreeWhileWritesContinue() throws Exception {
    String owner = "pager-" + System.nanoTime();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String account = openAccount("EUR", owner);
      command(account, "deposits", "{\"amount\":" + (100 + i) + "}");
      accounts.add(account);
    }
    String last = accounts.get(accounts.size() - 1);
    AccountSliceIT.awaitProjected(last, 1);
    for (String account : accounts) {
      AccountSliceIT.awaitProjected(account, 1);
    }

    // Deposits reorder the balance sort while the client pages through.
    AtomicBoolean writing = new AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger writes =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              int i = 0;
              while (writing.get()) {
                command(accounts.get(i++ % accounts.size()), "deposits", "{\"amount\":1000}");
                writes.incrementAndGet();
              }
            });
    writer.start();
    List<String> seen = new ArrayList<>();
    try {
      String cursor = null;
      do {
        String url =
            config().queryUrl()
                + "/api/v1/accounts?ownerId="
                + owner
                + "&sort=balance&order=desc&size=5"
                + (cursor == null
                    ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        var page = get(url);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        page.json().get("items").forEach(item -> seen.add(item.get("accountId").asText()));
        cursor =
            page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        // Let writes reorder the sort between every two pages.
        int before = writes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > before);
      } while (cursor != null);
    } finally {
      writing.set(false);
      writer.join();
    }
    assertThat(seen).hasSize(accounts.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(accounts));
  }

  @Test
  void anAccountsTransactionsPageInOrderWithinATimeRange() {
    String account = openAccount("EUR", "history");
    for (int i = 1; i <= 12; i++) {
      command(account, "deposits", "{\"amount\":" + i + ",\"reference\":\"r" + i + "\"}");
    }
    command(account, "withdrawals", "{\"amount\":5}");
    AccountSliceIT.awaitProjected(account, 13);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> transactions(account, "size=100").size() == 13);

    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      var page =
          get(
              config().queryUrl()
                  + "/api/v1/accounts/"
                  + account
                  + "/transactions?order=asc&size=4"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      page.json().get("items").forEach(all::add);
      cursor =
          page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
    } while (cursor != null);

    assertThat(all).hasSize(13);
    assertThat(all).extracting(t -> t.get("sequence").asLong()).isSorted().doesNotHaveDuplicates();
    assertThat(all.get(12).get("type").asText()).isEqualTo("WITHDRAWAL");
    assertThat(all.get(12).get("balanceAfter").asLong()).isEqualTo(78 - 5);
    String future = "2999-01-01T00:00:00Z";
    assertThat(transactions(account, "from=" + future)).isEmpty();
    assertThat(transactions(account, "to=2000-01-01T00:00:00Z")).isEmpty();
  }

  @Test
  void dashboardAggregationsMatchWhatTheCommandsDid() {
    // A currency no other test uses, so the expected figures are exactly this test's.
    String currency = "CHF";
    String a = openAccount(currency, "dash");
    String b = openAccount(currency, "dash");
    String c = openAccount(currency, "dash");
    command(a, "deposits", "{\"amount\":1000}");
    command(a, "withdrawals", "{\"amount\":250}");
    command(b, "deposits", "{\"amount\":400}");
    command(c, "deposits", "{\"amount\":90}");
    command(c, "freeze", null);
    AccountSliceIT.awaitProjected(a, 2);
    AccountSliceIT.awaitProjected(b, 1);
    AccountSliceIT.awaitProjected(c, 2);

    Map<String, long[]> expectedTotals =
        Map.of("OPEN", new long[] {2, 750 + 400}, "FROZEN", new long[] {1, 90});
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Map<String, long[]> totals = new HashMap<>();
              for (JsonNode total : get(config().queryUrl() + "/api/v1/dashboard/totals").json()) {
                if (total.get("currency").asText().equals(currency)) {
                  totals.put(
                      total.get("status").asText(),
                      new long[] {total.get("accounts").asLong(), total.get("balance").asLong()});
                }
              }
              assertThat(totals).containsOnlyKeys(expectedTotals.keySet());
              expectedTotals.forEach(
                  (status, v) -> assertThat(totals.get(status)).containsExactly(v));
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Map<String, Long> amounts = new HashMap<>();
              Map<String, Long> counts = new HashMap<>();
              for (JsonNode bucket :
                  get(config().queryUrl()
                          + "/api/v1/dashboard/volume?currency="
                          + currency
                          + "&interval=day")
                      .json()) {
                for (JsonNode type : bucket.get("byType")) {
                  amounts.merge(type.get("type").asText(), type.get("amount").asLong(), Long::sum);
                  counts.merge(type.get("type").asText(), type.get("count").asLong(), Long::sum);
                }
              }
              assertThat(amounts).isEqualTo(Map.of("DEPOSIT", 1490L, "WITHDRAWAL", 250L));
              assertThat(counts).isEqualTo(Map.of("DEPOSIT", 3L, "WITHDRAWAL", 1L));
            });
    var top =
        get(config().queryUrl()
                + "/api/v1/dashboard/top-accounts?currency="
                + currency
                + "&by=balance&size=2")
            .json();
    assertThat(top.get(0).get("accountId").asText()).isEqualTo(a);
    assertThat(top.get(1).get("accountId").asText()).isEqualTo(b);
    var active =
        get(config().queryUrl()
                + "/api/v1/dashboard/top-accounts?currency="
                + currency
                + "&by=activity&size=1")
            .json();
    assertThat(active.get(0).get("accountId").asText()).isEqualTo(a);
    assertThat(active.get(0).get("transactions").asLong()).isEqualTo(2);
  }

  @Test
  void theLiveFeedDeliversMovementsAndResumesAfterTheLastEventId() throws Exception {
    String account = openAccount("EUR", "feed");
    Feed feed = Feed.open(null);
    String firstId;
    try {
      command(account, "deposits", "{\"amount\":11}");
      Map<String, String> first = feed.next(account);
      assertThat(first.get("data")).contains("\"amount\":11");
      firstId = first.get("id");
      // The id is the movement's place in the store's global order.
      assertThat(Ledgerline.JSON.readTree(first.get("data")).get("globalPosition").asText())
          .isEqualTo(firstId);
    } finally {
      feed.close();
    }
    command(account, "deposits", "{\"amount\":22}");
    Feed resumed = Feed.open(firstId);
    try {
      Map<String, String> next = resumed.next(account);
      assertThat(next.get("data")).contains("\"amount\":22").doesNotContain("\"amount\":11");
    } finally {
      resumed.close();
    }
    // An id the feed never sent (here one of its ids before they were store positions) is a
    // problem to fix, not a stream that silently starts somewhere else.
    var refused =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/feed"))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "0:41,3:17")
                .build());
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.contentType()).startsWith("application/problem+json");
  }

  @Test
  void badQueryParametersAreProblemsNotErrors() {
    for (String query :
        List.of(
            "/api/v1/accounts?size=0",
            "/api/v1/accounts?size=1000",
            "/api/v1/accounts?status=open%22%7D",
            "/api/v1/accounts?currency=euro",
            "/api/v1/accounts?sort=_script",
            "/api/v1/accounts?minBalance=abc",
            "/api/v1/accounts?cursor=eyJhZnRlciI6W3sieCI6MX1dfQ",
            "/api/v1/accounts/x/transactions?from=yesterday",
            "/api/v1/transfers?status=*",
            "/api/v1/dashboard/volume?currency=EUR&interval=century",
            "/api/v1/dashboard/top-accounts?currency=EUR&by=__proto__")) {
      var response = get(config().queryUrl() + query);
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.contentType()).as(query).startsWith("application/problem+json");
    }
  }

  private static List<JsonNode> transactions(String account, String query) {
    List<JsonNode> items = new ArrayList<>();
    get(config().queryUrl() + "/api/v1/accounts/" + account + "/transactions?" + query)
        .json()
        .get("items")
        .forEach(items::add);
    return items;
  }

  /** A server-sent-events client reading in the background. */
  private static final class Feed {
    private final BlockingQueue<Map<String, String>> events = new ArrayBlockingQueue<>(10_000);
    private final InputStream body;

    private Feed(InputStream body) {
      this.body = body;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                  Map<String, String> event = new HashMap<>();
                  for (String line; (line = lines.readLine()) != null; ) {
                    if (line.isEmpty()) {
                      if (!event.isEmpty()) {
                        events.add(event);
                      }
                      event = new HashMap<>();
                    } else if (line.contains(":")) {
                      event.put(
                          line.substring(0, line.indexOf(':')),
                          line.substring(line.indexOf(':') + 1));
                    }
                  }
                } catch (Exception closed) {
                  // The test closed the stream.
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    static Feed open(String lastEventId) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/feed"))
              .header("Accept", "text/event-stream")
              .header("Authorization", "Bearer " + Ledgerline.tokenFor("/api/v1/feed"));
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      return new Feed(response.body());
    }

    /** The next event about {@code account}, skipping others. */
    Map<String, String> next(String account) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<String, String> event = events.poll(1, TimeUnit.SECONDS);
        if (event != null && event.getOrDefault("data", "").contains(account)) {
          return event;
        }
      }
      throw new AssertionError("no feed event for " + account);
    }

    void close() throws Exception {
      body.close();
    }
  }
}
