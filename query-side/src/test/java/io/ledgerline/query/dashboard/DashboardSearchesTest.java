package io.ledgerline.query.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.TimeRange;
import io.ledgerline.query.dashboard.DashboardController.TopAccount;
import io.ledgerline.query.dashboard.DashboardController.Total;
import io.ledgerline.query.dashboard.DashboardController.Volume;
import io.ledgerline.query.dashboard.DashboardController.VolumeBucket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's figures from aggregation results as Elasticsearch returns them, and the searches
 * that ask for them, as JSON.
 */
class DashboardSearchesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void totalsArePerCurrencyAndStatusNeverAcrossCurrencies() {
    Map<String, Aggregate> result =
        Map.of(
            "currency",
            terms(
                bucket(
                    "EUR",
                    3,
                    Map.of(
                        "status",
                        terms(
                            bucket("OPEN", 2, Map.of("balance", sum(1_500.0))),
                            bucket("FROZEN", 1, Map.of("balance", sum(-20.0)))))),
                bucket(
                    "USD",
                    1,
                    Map.of("status", terms(bucket("OPEN", 1, Map.of("balance", sum(99.0))))))));

    assertThat(DashboardSearches.totals(result))
        .containsExactly(
            new Total("EUR", "OPEN", 2, 1_500),
            new Total("EUR", "FROZEN", 1, -20),
            new Total("USD", "OPEN", 1, 99));
  }

  @Test
  void aSumIsReadBackAsWholeMinorUnits() {
    // Elasticsearch sums in doubles; a sum of whole numbers may come back a hair off.
    Map<String, Aggregate> result =
        Map.of(
            "currency",
            terms(
                bucket(
                    "EUR",
                    1,
                    Map.of(
                        "status",
                        terms(bucket("OPEN", 1, Map.of("balance", sum(12_345.999_999_9))))))));

    assertThat(DashboardSearches.totals(result).get(0).balance()).isEqualTo(12_346);
  }

  @Test
  void noAccountsAreNoTotals() {
    assertThat(DashboardSearches.totals(Map.of("currency", terms()))).isEmpty();
  }

  @Test
  void volumeIsPerIntervalThenType() {
    Instant day1 = Instant.parse("2026-01-30T00:00:00Z");
    Instant day2 = Instant.parse("2026-01-31T00:00:00Z");
    Map<String, Aggregate> result =
        Map.of(
            "over-time",
            histogram(
                day(
                    day1,
                    Map.of(
                        "type",
                        terms(
                            bucket("DEPOSIT", 4, Map.of("amount", sum(400.0))),
                            bucket("WITHDRAWAL", 1, Map.of("amount", sum(50.0)))))),
                day(day2, Map.of("type", terms()))));

    assertThat(DashboardSearches.volume(result))
        .containsExactly(
            new VolumeBucket(
                day1, List.of(new Volume("DEPOSIT", 4, 400), new Volume("WITHDRAWAL", 1, 50))),
            new VolumeBucket(day2, List.of()));
  }

  @Test
  void theMostActiveAccountsComeInTheOrderElasticsearchRanksThem() {
    Map<String, Aggregate> result =
        Map.of(
            "account",
            terms(
                bucket("a-7", 12, Map.of("amount", sum(9_000.0))),
                bucket("a-2", 3, Map.of("amount", sum(70.0)))));

    assertThat(DashboardSearches.topByActivity(result))
        .containsExactly(new TopAccount("a-7", 0, 12, 9_000), new TopAccount("a-2", 0, 3, 70));
  }

  @Test
  @SuppressWarnings("rawtypes")
  void theRichestAccountsAreReadFromTheirDocuments() {
    // JSON numbers come back as Integer or Long, depending on their size.
    List<Hit<Map>> hits =
        List.of(
            hit(Map.of("accountId", "a-1", "balance", 5_000_000_000L)),
            hit(Map.of("accountId", "a-2", "balance", 17)));

    assertThat(DashboardSearches.topByBalance(hits))
        .containsExactly(
            new TopAccount("a-1", 5_000_000_000L, 0, 0), new TopAccount("a-2", 17, 0, 0));
  }

  @Test
  void totalsAskForEveryCurrencyAndTheFiguresTheyAreReadFrom() {
    JsonNode request = json(DashboardSearches.totals());

    assertThat(request.path("size").asInt()).isZero();
    JsonNode currency = request.path("aggregations").path("currency");
    assertThat(currency.path("terms").path("field").asText()).isEqualTo("currency");
    assertThat(currency.path("terms").path("size").asInt()).isEqualTo(1_000);
    JsonNode status = currency.path("aggregations").path("status");
    assertThat(status.path("terms").path("field").asText()).isEqualTo("status");
    assertThat(status.path("aggregations").path("balance").path("sum").path("field").asText())
        .isEqualTo("balance");
  }

  @Test
  void volumeCountsOneCurrencyInTheTimeRange() {
    JsonNode request =
        json(
            DashboardSearches.volume(
                "EUR",
                CalendarInterval.Hour,
                TimeRange.parse("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")));

    JsonNode filters = request.path("query").path("bool").path("filter");
    assertThat(filters).hasSize(2);
    assertThat(filters.get(0).path("term").path("currency").path("value").asText())
        .isEqualTo("EUR");
    JsonNode timestamp = filters.get(1).path("range").path("timestamp");
    assertThat(timestamp.path("gte").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(timestamp.path("lt").asText()).isEqualTo("2026-02-01T00:00:00Z");
    JsonNode overTime = request.path("aggregations").path("over-time");
    assertThat(overTime.path("date_histogram").path("calendar_interval").asText())
        .isEqualTo("hour");
    assertThat(
            overTime
                .path("aggregations")
                .path("type")
                .path("aggregations")
                .path("amount")
                .path("sum")
                .path("field")
                .asText())
        .isEqualTo("amount");
  }

  @Test
  void volumeWithoutATimeRangeFiltersOnTheCurrencyOnly() {
    JsonNode request =
        json(DashboardSearches.volume("USD", CalendarInterval.Day, TimeRange.parse(null, null)));

    assertThat(request.path("query").path("bool").path("filter")).hasSize(1);
  }

  @Test
  void theRichestAccountsAreSortedByBalanceThenId() {
    JsonNode request = json(DashboardSearches.topByBalance("EUR", 5));

    assertThat(request.path("size").asInt()).isEqualTo(5);
    assertThat(request.path("query").path("term").path("currency").path("value").asText())
        .isEqualTo("EUR");
    assertThat(request.path("sort").toString())
        .isEqualTo("[{\"balance\":{\"order\":\"desc\"}},{\"accountId\":{\"order\":\"asc\"}}]");
  }

  @Test
  void theMostActiveAccountsAreCountedInOneCurrencyAndRange() {
    JsonNode request =
        json(
            DashboardSearches.topByActivity(
                "EUR", TimeRange.parse("2026-01-01T00:00:00Z", null), 3));

    JsonNode filters = request.path("query").path("bool").path("filter");
    assertThat(filters).hasSize(2);
    assertThat(filters.get(1).path("range").path("timestamp").has("lt")).isFalse();
    assertThat(request.path("aggregations").path("account").path("terms").path("size").asInt())
        .isEqualTo(3);
  }

  @Test
  void intervalsAreCalendarUnits() {
    assertThat(DashboardSearches.interval("minute")).isEqualTo(CalendarInterval.Minute);
    assertThat(DashboardSearches.interval("week")).isEqualTo(CalendarInterval.Week);
    assertThat(DashboardSearches.interval("month")).isEqualTo(CalendarInterval.Month);
    assertThatThrownBy(() -> DashboardSearches.interval("fortnight"))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            invalid -> assertThat(invalid.parameter()).isEqualTo("interval"));
  }

  private static JsonNode json(SearchRequest request) {
    try {
      return JSON.readTree(JsonpUtils.toJsonString(request, new JacksonJsonpMapper()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Aggregate terms(StringTermsBucket... buckets) {
    return Aggregate.of(
        a ->
            a.sterms(
                t ->
                    t.sumOtherDocCount(0L)
                        .docCountErrorUpperBound(0L)
                        .buckets(b -> b.array(List.of(buckets)))));
  }

  private static StringTermsBucket bucket(
      String key, long count, Map<String, Aggregate> aggregations) {
    return StringTermsBucket.of(b -> b.key(key).docCount(count).aggregations(aggregations));
  }

  private static Aggregate sum(double value) {
    return Aggregate.of(a -> a.sum(s -> s.value(value)));
  }

  private static Aggregate histogram(DateHistogramBucket... buckets) {
    return Aggregate.of(a -> a.dateHistogram(h -> h.buckets(b -> b.array(List.of(buckets)))));
  }

  private static DateHistogramBucket day(Instant start, Map<String, Aggregate> aggregations) {
    return DateHistogramBucket.of(
        b -> b.key(start.toEpochMilli()).docCount(1).aggregations(aggregations));
  }

  @SuppressWarnings("rawtypes")
  private static Hit<Map> hit(Map<String, Object> source) {
    return Hit.of(
        h -> h.index("accounts-v1").id(String.valueOf(source.get("accountId"))).source(source));
  }
}
