package io.ledgerline.query.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds what the JSON parser accepts from clients (nesting depth, string and number length) and
 * makes it strict: no duplicate keys, no trailing content, no unknown fields, and no coercion of a
 * value of one JSON type into a field of another ({@code "10"}, {@code true} or {@code 1.0} for an
 * integer, a number for a string).
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfiguration {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer jsonLimits() {
    return builder ->
        builder.postConfigurer(
            mapper ->
                mapper
                    .getFactory()
                    .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxStringLength(16_384)
                            .maxNumberLength(32)
                            .build()));
  }

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .featuresToEnable(
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .featuresToDisable(
                DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .postConfigurer(JsonLimitsConfiguration::refuseCoercion);
  }

  // The features above leave some coercions on; since Jackson 2.12 these configs decide them.
  private static void refuseCoercion(ObjectMapper mapper) {
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.String,
          CoercionInputShape.EmptyString,
          CoercionInputShape.Boolean,
          CoercionInputShape.Float
        }) {
      mapper.coercionConfigFor(LogicalType.Integer).setCoercion(shape, CoercionAction.Fail);
    }
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Float).setCoercion(shape, CoercionAction.Fail);
    }
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.String,
          CoercionInputShape.EmptyString,
          CoercionInputShape.Integer,
          CoercionInputShape.Float
        }) {
      mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(shape, CoercionAction.Fail);
    }
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
  }
}
