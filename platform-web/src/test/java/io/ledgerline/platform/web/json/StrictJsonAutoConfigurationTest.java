package io.ledgerline.platform.web.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The web layer's mapper, as Spring Boot builds it with this module on the classpath. */
class StrictJsonAutoConfigurationTest {

  record Amount(long amount) {}

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class, StrictJsonAutoConfiguration.class));

  @Test
  void theMapperIsStrictAndBoundedByDefault() {
    runner.run(
        context -> {
          ObjectMapper mapper = context.getBean(ObjectMapper.class);
          assertThat(context.getBean(JsonProperties.class))
              .isEqualTo(new JsonProperties(16, 16_384, 32));
          assertThat(mapper.readValue("{\"amount\":10}", Amount.class)).isEqualTo(new Amount(10));
          assertThatThrownBy(() -> mapper.readValue("{\"amount\":\"10\"}", Amount.class))
              .isInstanceOf(MismatchedInputException.class);
          assertThatThrownBy(() -> mapper.readValue("{\"amount\":1,\"x\":1}", Amount.class))
              .isInstanceOf(MismatchedInputException.class);
          assertThatThrownBy(() -> mapper.readValue(nested(17), Map.class))
              .isInstanceOf(StreamConstraintsException.class);
        });
  }

  @Test
  void theParserLimitsAreBoundFromProperties() {
    runner
        .withPropertyValues(
            "ledgerline.api.json.max-nesting-depth=2",
            "ledgerline.api.json.max-string-length=100",
            "ledgerline.api.json.max-number-length=5")
        .run(
            context -> {
              ObjectMapper mapper = context.getBean(ObjectMapper.class);
              assertThat(context.getBean(JsonProperties.class))
                  .isEqualTo(new JsonProperties(2, 100, 5));
              assertThat(mapper.readValue(nested(2), Map.class)).isNotEmpty();
              assertThatThrownBy(() -> mapper.readValue(nested(3), Map.class))
                  .isInstanceOf(StreamConstraintsException.class);
              assertThatThrownBy(() -> mapper.readValue("{\"amount\":123456}", Amount.class))
                  .isInstanceOf(JsonProcessingException.class)
                  .hasMessageContaining("Number value length");
            });
  }

  @Test
  void aLimitBelowOneIsRefusedAtStartUp() {
    runner
        .withPropertyValues("ledgerline.api.json.max-nesting-depth=0")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void theServiceMayReplaceTheStrictnessByName() {
    runner
        .withBean("strictJson", Jackson2ObjectMapperBuilderCustomizer.class, () -> builder -> {})
        .run(
            context -> {
              ObjectMapper mapper = context.getBean(ObjectMapper.class);
              // Spring Boot's own lenient default: a string is coerced into a number.
              assertThat(mapper.readValue("{\"amount\":\"10\"}", Amount.class))
                  .isEqualTo(new Amount(10));
              assertThatThrownBy(() -> mapper.readValue(nested(17), Map.class))
                  .isInstanceOf(StreamConstraintsException.class);
            });
  }

  /** An object nested {@code depth} levels deep. */
  private static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }
}
