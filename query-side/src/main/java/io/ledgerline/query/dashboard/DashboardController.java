package io.ledgerline.query.dashboard;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.Money;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(
    name = "Dashboard",
    description =
        "Figures for dashboards, from the read models; every amount is per currency, never summed"
            + " across currencies.")
@RestController
@RequestMapping(path = "/api/v1/dashboard", produces = MediaType.APPLICATION_JSON_VALUE)
class DashboardController {

  record Total(
      @Schema(example = "EUR") String currency,
      @Schema(example = "OPEN") String status,
      @Schema(description = "How many accounts", example = "12") long accounts,
      @Schema(description = "Their balances together, in minor units", example = "250000")
          long balance) {}

  record Volume(
      @Schema(description = "The movement type", example = "DEPOSIT") String type,
      @Schema(description = "How many movements", example = "31") long count,
      @Schema(description = "Their amounts together, in minor units", example = "125000")
          long amount) {}

  record VolumeBucket(
      @Schema(description = "The interval's start", example = "2026-01-15T00:00:00Z") Instant start,
      List<Volume> byType) {}

  record TopAccount(
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(description = "Minor units", example = "125000") long balance,
      @Schema(description = "Movements in the window (by activity)", example = "17")
          long transactions,
      @Schema(description = "Minor units moved in the window (by activity)", example = "42000")
          long amount) {}

  private final ElasticsearchClient elasticsearch;

  DashboardController(ElasticsearchClient elasticsearch) {
    this.elasticsearch = elasticsearch;
  }

  /** Number of accounts and their balance, by currency and status. */
  @Operation(
      operationId = "getTotals",
      summary = "Accounts and balances",
      description = "The number of accounts and their balance, by currency and status.")
  @GetMapping("/totals")
  List<Total> totals() throws IOException {
    return DashboardSearches.totals(
        elasticsearch.search(DashboardSearches.totals(), Void.class).aggregations());
  }

  /** Money moved per interval in one currency, split by movement type. */
  @Operation(
      operationId = "getVolume",
      summary = "Money moved over time",
      description =
          "Money moved in one currency per interval of a time window, split by movement type.")
  @ApiProblems("validation")
  @GetMapping("/volume")
  List<VolumeBucket> volume(
      @Parameter(description = "The currency (ISO 4217)", example = "EUR") @RequestParam
          String currency,
      @Parameter(
              description = "The width of a bucket",
              schema =
                  @Schema(
                      allowableValues = {"minute", "hour", "day", "week", "month"},
                      defaultValue = "day"))
          @RequestParam(defaultValue = "day")
          String interval,
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
  @Operation(
      operationId = "getTopAccounts",
      summary = "Top accounts",
      description =
          "The top accounts of one currency: by balance, or by activity (number of movements) in"
              + " a time window.")
  @ApiProblems("validation")
  @GetMapping("/top-accounts")
  List<TopAccount> topAccounts(
      @Parameter(description = "The currency (ISO 4217)", example = "EUR") @RequestParam
          String currency,
      @Parameter(
              description = "Rank by balance, or by activity in the window",
              schema =
                  @Schema(
                      allowableValues = {"balance", "activity"},
                      defaultValue = "balance"))
          @RequestParam(defaultValue = "balance")
          String by,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @Parameter(description = "How many accounts, 1 to 100") @RequestParam(defaultValue = "10")
          int size)
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
