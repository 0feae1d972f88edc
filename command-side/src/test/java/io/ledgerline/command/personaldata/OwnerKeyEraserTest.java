package io.ledgerline.command.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The key is destroyed in the transaction that stores the erasure only if the eraser runs in a
 * subscribing processor: a tracking one would destroy it later, in a transaction of its own.
 */
class OwnerKeyEraserTest {

  @Test
  @SuppressWarnings("unchecked")
  void theEraserIsASubscribingProcessor() throws Exception {
    Map<String, Object> settings;
    try (InputStream yml = getClass().getResourceAsStream("/application.yml")) {
      settings = new Yaml().load(yml);
    }
    Map<String, Object> processors =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>) settings.get("axon")).get("eventhandling"))
                .get("processors");
    String group = OwnerKeyEraser.class.getAnnotation(ProcessingGroup.class).value();

    assertThat(group).isEqualTo(OwnerKeyEraser.PROCESSOR);
    assertThat(((Map<String, Object>) processors.get(group)).get("mode")).isEqualTo("subscribing");
  }
}
