package io.ledgerline.platform.web.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Bounds what the JSON parser accepts from clients (nesting depth, string and number length, per
 * {@link JsonProperties}) and makes it strict: no duplicate keys, no trailing content, no unknown
 * fields, and no coercion of a value of one JSON type into a field of another ({@code "10"}, {@code
 * true} or {@code 1.0} for an integer, a number for a string). Both customize the mapper Spring
 * Boot builds for the web layer; a mapper built elsewhere (Axon's, say) keeps its own settings.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ObjectMapper.class, Jackson2ObjectMapperBuilder.class})
@EnableConfigurationProperties(JsonProperties.class)
public class StrictJsonAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "jsonLimits")
  public Jackson2ObjectMapperBuilderCustomizer jsonLimits(JsonProperties properties) {
    return builder ->
        builder.postConfigurer(
            mapper ->
                mapper
                    .getFactory()
                    .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(properties.maxNestingDepth())
                            .maxStringLength(properties.maxStringLength())
                            .maxNumberLength(properties.maxNumberLength())
                            .build()));
  }

  @Bean
  @ConditionalOnMissingBean(name = "strictJson")
  public Jackson2ObjectMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .featuresToEnable(
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .featuresToDisable(
                DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .postConfigurer(StrictJsonAutoConfiguration::refuseCoercion);
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
