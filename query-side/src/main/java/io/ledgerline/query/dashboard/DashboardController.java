package io.ledgerline.query.dashboard;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.ledgerline.events.Money;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.TimeRange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Aggregations for dashboards: {@code /api/v1/dashboard}. Money is never summed across currencies:
 * every figure is per currency.
 */
@RestController
@RequestMapping(path = "/api/v1/dashboard", produces = MediaType.APPLICATION_JSON_VALUE)
class DashboardController {

  private static final String ACCOUNTS = "accounts";
  private static final String TRANSACTIONS = "transactions";
  private static final int MAX_BUCKETS = 1_000;

  record Total(String currency, String status, long accounts, long balance) {}

  record Volume(String type, long count, long amount) {}

  record VolumeBucket(Instant start, List<Volume> byType) {}

  record TopAccount(String accountId, long balance, long transactions, long amount) {}

  private final ElasticsearchClient elasticsearch;

  DashboardController(ElasticsearchClient elasticsearch) {
    this.elasticsearch = elasticsearch;
  }

  /** Number of accounts and their balance, by currency and status. */
  @GetMapping("/totals")
  List<Total> totals() throws IOException {
    var response =
        elasticsearch.search(
            s ->
                s.index(ACCOUNTS)
                    .size(0)
                    .aggregations(
                        "currency",
                        a ->
                            a.terms(t -> t.field("currency").size(MAX_BUCKETS))
                                .aggregations(
                                    "status",
                                    Aggregation.of(
                                        st ->
                                            st.terms(t -> t.field("status").size(10))
                                                .aggregations(
                                                    "balance",
                                                    Aggregation.of(
                                                        sum ->
                                                            sum.sum(f -> f.field("balance"))))))),
            Void.class);
    List<Total> totals = new ArrayList<>();
    for (StringTermsBucket currency :
        response.aggregations().get("currency").sterms().buckets().array()) {
      for (StringTermsBucket status :
          currency.aggregations().get("status").sterms().buckets().array()) {
        totals.add(
            new Total(
                currency.key().stringValue(),
                status.key().stringValue(),
                status.docCount(),
                Math.round(status.aggregations().get("balance").sum().value())));
      }
    }
    return totals;
  }

  /** Money moved per interval in one currency, split by movement type. */
  @GetMapping("/volume")
  List<VolumeBucket> volume(
      @RequestParam String currency,
      @RequestParam(defaultValue = "day") String interval,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to)
      throws IOException {
    requireCurrency(currency);
    CalendarInterval calendarInterval =
        switch (interval) {
          case "minute" -> CalendarInterval.Minute;
          case "hour" -> CalendarInterval.Hour;
          case "day" -> CalendarInterval.Day;
          case "week" -> CalendarInterval.Week;
          case "month" -> CalendarInterval.Month;
          default ->
              throw new InvalidParameterException(
                  "interval", "must be minute, hour, day, week or month");
        };
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("currency").value(currency))));
    TimeRange.parse(from, to).filter("timestamp").ifPresent(filters::add);
    var response =
        elasticsearch.search(
            s ->
                s.index(TRANSACTIONS)
                    .size(0)
                    .query(q -> q.bool(b -> b.filter(filters)))
                    .aggregations(
                        "over-time",
                        a ->
                            a.dateHistogram(
                                    h -> h.field("timestamp").calendarInterval(calendarInterval))
                                .aggregations(
                                    "type",
                                    Aggregation.of(
                                        t ->
                                            t.terms(terms -> terms.field("type").size(10))
                                                .aggregations(
                                                    "amount",
                                                    Aggregation.of(
                                                        sum -> sum.sum(f -> f.field("amount"))))))),
            Void.class);
    List<VolumeBucket> buckets = new ArrayList<>();
    for (DateHistogramBucket bucket :
        response.aggregations().get("over-time").dateHistogram().buckets().array()) {
      List<Volume> byType = new ArrayList<>();
      for (StringTermsBucket type : bucket.aggregations().get("type").sterms().buckets().array()) {
        byType.add(
            new Volume(
                type.key().stringValue(),
                type.docCount(),
                Math.round(type.aggregations().get("amount").sum().value())));
      }
      buckets.add(new VolumeBucket(Instant.ofEpochMilli(bucket.key()), byType));
    }
    return buckets;
  }

  /**
   * The top accounts of one currency: by balance, or by activity (number of movements) in a time
   * window.
   */
  @GetMapping("/top-accounts")
  List<TopAccount> topAccounts(
      @RequestParam String currency,
      @RequestParam(defaultValue = "balance") String by,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "10") int size)
      throws IOException {
    requireCurrency(currency);
    if (size < 1 || size > 100) {
      throw new InvalidParameterException("size", "must be between 1 and 100");
    }
    return switch (by) {
      case "balance" -> topByBalance(currency, size);
      case "activity" -> topByActivity(currency, TimeRange.parse(from, to), size);
      default -> throw new InvalidParameterException("by", "must be balance or activity");
    };
  }

  private List<TopAccount> topByBalance(String currency, int size) throws IOException {
    var response =
        elasticsearch.search(
            s ->
                s.index(ACCOUNTS)
                    .size(size)
                    .query(q -> q.term(t -> t.field("currency").value(currency)))
                    .sort(o -> o.field(f -> f.field("balance").order(SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field("accountId").order(SortOrder.Asc))),
            Map.class);
    List<TopAccount> top = new ArrayList<>();
    for (var hit : response.hits().hits()) {
      Map<?, ?> source = hit.source();
      top.add(
          new TopAccount(
              String.valueOf(source.get("accountId")),
              ((Number) source.get("balance")).longValue(),
              0,
              0));
    }
    return top;
  }

  private List<TopAccount> topByActivity(String currency, TimeRange range, int size)
      throws IOException {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("currency").value(currency))));
    range.filter("timestamp").ifPresent(filters::add);
    var response =
        elasticsearch.search(
            s ->
                s.index(TRANSACTIONS)
                    .size(0)
                    .query(q -> q.bool(b -> b.filter(filters)))
                    .aggregations(
                        "account",
                        a ->
                            a.terms(t -> t.field("accountId").size(size))
                                .aggregations(
                                    "amount",
                                    Aggregation.of(sum -> sum.sum(f -> f.field("amount"))))),
            Void.class);
    Map<String, TopAccount> top = new LinkedHashMap<>();
    for (StringTermsBucket bucket :
        response.aggregations().get("account").sterms().buckets().array()) {
      top.put(
          bucket.key().stringValue(),
          new TopAccount(
              bucket.key().stringValue(),
              0,
              bucket.docCount(),
              Math.round(bucket.aggregations().get("amount").sum().value())));
    }
    return new ArrayList<>(top.values());
  }

  private static void requireCurrency(String currency) {
    if (!Money.isIsoCurrency(currency)) {
      throw new InvalidParameterException("currency", "must be an ISO 4217 code");
    }
  }
}
