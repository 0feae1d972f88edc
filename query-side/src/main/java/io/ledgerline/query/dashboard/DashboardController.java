package io.ledgerline.query.dashboard;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.Money;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.TimeRange;
import java.io.IOException;
import java.time.Instant;
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
    return DashboardSearches.totals(
        elasticsearch.search(DashboardSearches.totals(), Void.class).aggregations());
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
    var request =
        DashboardSearches.volume(
            currency, DashboardSearches.interval(interval), TimeRange.parse(from, to));
    return DashboardSearches.volume(elasticsearch.search(request, Void.class).aggregations());
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
    return DashboardSearches.topByBalance(
        elasticsearch
            .search(DashboardSearches.topByBalance(currency, size), Map.class)
            .hits()
            .hits());
  }

  private List<TopAccount> topByActivity(String currency, TimeRange range, int size)
      throws IOException {
    return DashboardSearches.topByActivity(
        elasticsearch
            .search(DashboardSearches.topByActivity(currency, range, size), Void.class)
            .aggregations());
  }

  private static void requireCurrency(String currency) {
    if (!Money.isIsoCurrency(currency)) {
      throw new InvalidParameterException("currency", "must be an ISO 4217 code");
    }
  }
}
