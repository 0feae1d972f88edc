package io.ledgerline.platform.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KafkaHealthAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaAutoConfiguration.class, KafkaHealthAutoConfiguration.class))
          .withPropertyValues("spring.kafka.admin.auto-create=false");

  @Test
  void aServiceWithKafkaReportsItsHealthAsTheKafkaComponent() {
    runner.run(
        context ->
            // The actuator names the component after the bean, less "HealthIndicator".
            assertThat(context)
                .getBean("kafkaHealthIndicator")
                .isInstanceOf(KafkaHealthIndicator.class));
  }

  @Test
  void isOffWhenDisabledOrWithoutKafka() {
    runner
        .withPropertyValues("management.health.kafka.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(KafkaHealthIndicator.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaHealthAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(KafkaHealthIndicator.class));
  }

  @Test
  void backsOffFromTheServicesOwnIndicator() {
    HealthIndicator own = () -> null;
    runner
        .withBean("kafkaHealthIndicator", HealthIndicator.class, () -> own)
        .run(context -> assertThat(context.getBean("kafkaHealthIndicator")).isSameAs(own));
  }
}
