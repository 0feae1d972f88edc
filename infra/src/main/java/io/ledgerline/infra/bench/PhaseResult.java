package io.ledgerline.infra.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one phase (or one raw limit) measured, as the table and results.json show it. Rates count
 * only completed operations; every other answer is listed by its status in {@link #other}.
 */
final class PhaseResult {

  final String id;
  final String title;
  String unit = "";
  int clients;
  double seconds;
  long done;
  Double rate;
  Double p50;
  Double p90;
  Double p95;
  Double p99;
  Double max;
  Double allP50;
  Double allP99;
  Map<String, Long> statuses = new LinkedHashMap<>();
  Map<String, Long> other = new LinkedHashMap<>();
  String ratioTo;
  Double ratio;
  final Map<String, Object> details = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  Map<String, ProcessSampler.Usage> resources = new LinkedHashMap<>();
  List<Measurement.Second> series = List.of();
  String chart;

  PhaseResult(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** Takes the counts, rate and percentiles of a finished measurement. */
  PhaseResult from(Measurement measurement, int clients) {
    this.clients = clients;
    seconds = measurement.seconds();
    done = measurement.doneCount();
    rate = measurement.rate();
    p50 = measurement.doneMillis(50);
    p90 = measurement.doneMillis(90);
    p95 = measurement.doneMillis(95);
    p99 = measurement.doneMillis(99);
    max = measurement.doneMaxMillis();
    allP50 = measurement.allMillis(50);
    allP99 = measurement.allMillis(99);
    statuses = measurement.statuses();
    other = measurement.otherStatuses();
    series = measurement.series();
    notes.addAll(measurement.notes());
    if (!measurement.resources().isEmpty()) {
      resources = measurement.resources();
    }
    return this;
  }

  /**
   * Milliseconds of CPU {@code part} spent per done operation over the phase (its CPU share divided
   * by the rate), or {@code null} without a rate or a CPU figure: where each operation's cost goes,
   * independent of how many ran.
   */
  Double cpuMillisPerOperation(String part) {
    ProcessSampler.Usage usage = resources.get(part);
    if (usage == null || usage.cpuPercent() == null || rate == null || rate <= 0) {
      return null;
    }
    return usage.cpuPercent() * 10 / rate;
  }

  /** Sets the ratio of this rate to a raw limit's, when both are known. */
  void ratioTo(PhaseResult raw) {
    if (raw != null && raw.rate != null && raw.rate > 0 && rate != null) {
      ratioTo = raw.id;
      ratio = rate / raw.rate;
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("title", title);
    json.put("unit", unit);
    json.put("clients", clients);
    json.put("seconds", seconds);
    json.put("done", done);
    json.put("rate", rate);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", p50);
    latency.put("p90", p90);
    latency.put("p95", p95);
    latency.put("p99", p99);
    latency.put("max", max);
    json.put("latencyMillis", latency);
    Map<String, Object> allLatency = new LinkedHashMap<>();
    allLatency.put("p50", allP50);
    allLatency.put("p99", allP99);
    json.put("latencyMillisAllAnswers", allLatency);
    json.put("statuses", statuses);
    json.put("notDone", other);
    json.put("ratioTo", ratioTo);
    json.put("ratio", ratio);
    json.put("details", details);
    json.put("notes", notes);
    Map<String, Object> usage = new LinkedHashMap<>();
    resources.forEach(
        (part, use) -> {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("pid", use.pid());
          one.put("cpuPercentOfOneCore", use.cpuPercent());
          one.put("memoryMbAverage", use.avgMemoryMb());
          one.put("memoryMbMax", use.maxMemoryMb());
          one.put("rssMbMax", use.maxRssMb());
          one.put("cpuMillisPerOperation", cpuMillisPerOperation(part));
          usage.put(part, one);
        });
    json.put("resources", usage);
    List<Map<String, Object>> points = new ArrayList<>();
    for (Measurement.Second second : series) {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("at", second.at());
      point.put("doneRate", second.doneRate());
      point.put("otherRate", second.otherRate());
      point.put("p50", second.p50Millis());
      point.put("p99", second.p99Millis());
      points.add(point);
    }
    json.put("perSecond", points);
    json.put("chart", chart);
    return json;
  }
}
