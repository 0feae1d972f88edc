package io.ledgerline.infra.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws each load phase over time as a PNG: completed operations a second (and the answers that
 * were not 2xx) above, p50 and p99 latency of each second below.
 */
final class Charts {

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 620;

  private Charts() {}

  /**
   * Draws {@code throughput} (per-second counts) over {@code latency} (per-second percentiles,
   * often of the same measurement) into {@code file}.
   */
  static void draw(
      Path file,
      String title,
      String unit,
      List<Measurement.Second> throughput,
      List<Measurement.Second> latency,
      String latencyLabel)
      throws IOException {
    XYSeries done = new XYSeries("done (2xx) " + unit);
    XYSeries other = new XYSeries("not done (non-2xx) per second");
    for (Measurement.Second second : throughput) {
      double x = second.at() + second.length();
      done.add(x, second.doneRate());
      other.add(x, second.otherRate());
    }
    XYSeriesCollection rates = new XYSeriesCollection();
    rates.addSeries(done);
    rates.addSeries(other);

    XYSeries p50 = new XYSeries(latencyLabel + " p50");
    XYSeries p99 = new XYSeries(latencyLabel + " p99");
    for (Measurement.Second second : latency) {
      double x = second.at() + second.length();
      if (second.p50Millis() != null) {
        p50.add(x, second.p50Millis());
        p99.add(x, second.p99Millis());
      }
    }
    XYSeriesCollection latencies = new XYSeriesCollection();
    latencies.addSeries(p50);
    latencies.addSeries(p99);

    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds into the phase"));
    plot.setGap(12);
    plot.add(plot(rates, "per second", new Color(0x1f77b4), new Color(0xd62728)), 1);
    plot.add(plot(latencies, "latency (ms)", new Color(0x2ca02c), new Color(0xff7f0e)), 1);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  /** Draws a rebuild's progress: events replayed a second between two polls. */
  static void drawProgress(Path file, String title, List<double[]> progress) throws IOException {
    XYSeries rate = new XYSeries("events replayed per second");
    XYSeries total = new XYSeries("events replayed (thousands)");
    double lastAt = 0;
    double lastEvents = 0;
    for (double[] point : progress) {
      double seconds = point[0] - lastAt;
      if (seconds > 0) {
        rate.add(point[0], Math.max(0, point[1] - lastEvents) / seconds);
      }
      total.add(point[0], point[1] / 1000.0);
      lastAt = point[0];
      lastEvents = point[1];
    }
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds since start"));
    plot.setGap(12);
    plot.add(plot(new XYSeriesCollection(rate), "events/s", new Color(0x1f77b4), null), 1);
    plot.add(plot(new XYSeriesCollection(total), "thousands", new Color(0x2ca02c), null), 1);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  private static XYPlot plot(XYSeriesCollection data, String axis, Color first, Color second) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, first);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    if (second != null) {
      renderer.setSeriesPaint(1, second);
      renderer.setSeriesStroke(1, new BasicStroke(2f));
    }
    NumberAxis range = new NumberAxis(axis);
    range.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, null, range, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }
}
