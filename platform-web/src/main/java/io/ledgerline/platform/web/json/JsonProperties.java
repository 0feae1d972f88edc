package io.ledgerline.platform.web.json;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the JSON parser accepts from clients.
 *
 * @param maxNestingDepth the deepest nesting of objects and arrays; 16 by default
 * @param maxStringLength the longest string value, in characters; 16,384 by default
 * @param maxNumberLength the longest number, in characters; 32 by default
 */
@Validated
@ConfigurationProperties("ledgerline.api.json")
public record JsonProperties(
    @DefaultValue("16") @Positive int maxNestingDepth,
    @DefaultValue("16384") @Positive int maxStringLength,
    @DefaultValue("32") @Positive int maxNumberLength) {}
