package io.ledgerline.platform.web.health;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.kafka.core.KafkaAdmin;

/** Kafka is up when the cluster answers a metadata request within a few seconds. */
public class KafkaHealthIndicator extends AbstractHealthIndicator {

  private static final int TIMEOUT_MS = 3000;
  private final KafkaAdmin kafkaAdmin;
  private volatile AdminClient admin;

  public KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
    super("Kafka health check failed");
    this.kafkaAdmin = kafkaAdmin;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    var cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
    String clusterId = cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    int nodes = cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
    builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
  }

  /** One client for every probe: it reconnects by itself, and probes come every few seconds. */
  private AdminClient admin() {
    AdminClient current = admin;
    if (current == null) {
      synchronized (this) {
        if (admin == null) {
          admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
        }
        current = admin;
      }
    }
    return current;
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
