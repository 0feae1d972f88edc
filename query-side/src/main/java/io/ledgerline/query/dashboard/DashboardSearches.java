package io.ledgerline.query.dashboard;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.TimeRange;
import io.ledgerline.query.dashboard.DashboardController.TopAccount;
import io.ledgerline.query.dashboard.DashboardController.Total;
import io.ledgerline.query.dashboard.DashboardController.Volume;
import io.ledgerline.query.dashboard.DashboardController.VolumeBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's searches and the figures read from their results, apart from the client that runs
 * them. Every figure is per currency: money is never summed across currencies.
 */
final class DashboardSearches {

  static final String ACCOUNTS = "accounts";
  static final String TRANSACTIONS = "transactions";
  private static final int MAX_BUCKETS = 1_000;

  private DashboardSearches() {}

  /** Accounts by currency, then status, with the sum of their balances. */
  static SearchRequest totals() {
    return SearchRequest.of(
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
                                                    sum -> sum.sum(f -> f.field("balance"))))))));
  }

  static List<Total> totals(Map<String, Aggregate> aggregations) {
    List<Total> totals = new ArrayList<>();
    for (StringTermsBucket currency : aggregations.get("currency").sterms().buckets().array()) {
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

  /** The {@code interval} parameter of the volume figures. */
  static CalendarInterval interval(String interval) {
    return switch (interval) {
      case "minute" -> CalendarInterval.Minute;
      case "hour" -> CalendarInterval.Hour;
      case "day" -> CalendarInterval.Day;
      case "week" -> CalendarInterval.Week;
      case "month" -> CalendarInterval.Month;
      default ->
          throw new InvalidParameterException(
              "interval", "must be minute, hour, day, week or month");
    };
  }

  /** Movements of one currency in a time range, per interval and type, with their amounts. */
  static SearchRequest volume(String currency, CalendarInterval interval, TimeRange range) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("currency").value(currency))));
    range.filter("timestamp").ifPresent(filters::add);
    return SearchRequest.of(
        s ->
            s.index(TRANSACTIONS)
                .size(0)
                .query(q -> q.bool(b -> b.filter(filters)))
                .aggregations(
                    "over-time",
                    a ->
                        a.dateHistogram(h -> h.field("timestamp").calendarInterval(interval))
                            .aggregations(
                                "type",
                                Aggregation.of(
                                    t ->
                                        t.terms(terms -> terms.field("type").size(10))
                                            .aggregations(
                                                "amount",
                                                Aggregation.of(
                                                    sum -> sum.sum(f -> f.field("amount"))))))));
  }

  static List<VolumeBucket> volume(Map<String, Aggregate> aggregations) {
    List<VolumeBucket> buckets = new ArrayList<>();
    for (DateHistogramBucket bucket :
        aggregations.get("over-time").dateHistogram().buckets().array()) {
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

  /** The accounts of one currency with the highest balances; ties in account id order. */
  static SearchRequest topByBalance(String currency, int size) {
    return SearchRequest.of(
        s ->
            s.index(ACCOUNTS)
                .size(size)
                .query(q -> q.term(t -> t.field("currency").value(currency)))
                .sort(o -> o.field(f -> f.field("balance").order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("accountId").order(SortOrder.Asc))));
  }

  @SuppressWarnings("rawtypes")
  static List<TopAccount> topByBalance(List<Hit<Map>> hits) {
    List<TopAccount> top = new ArrayList<>();
    for (var hit : hits) {
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

  /** The accounts of one currency with the most movements in a time range. */
  static SearchRequest topByActivity(String currency, TimeRange range, int size) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("currency").value(currency))));
    range.filter("timestamp").ifPresent(filters::add);
    return SearchRequest.of(
        s ->
            s.index(TRANSACTIONS)
                .size(0)
                .query(q -> q.bool(b -> b.filter(filters)))
                .aggregations(
                    "account",
                    a ->
                        a.terms(t -> t.field("accountId").size(size))
                            .aggregations(
                                "amount", Aggregation.of(sum -> sum.sum(f -> f.field("amount"))))));
  }

  static List<TopAccount> topByActivity(Map<String, Aggregate> aggregations) {
    Map<String, TopAccount> top = new LinkedHashMap<>();
    for (StringTermsBucket bucket : aggregations.get("account").sterms().buckets().array()) {
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
}
