package io.ledgerline.platform.web.ratelimit;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client request rates, checked before any token is verified.
 *
 * @param enabled whether requests are limited at all
 * @param perSecond requests per second of one token subject at one address
 * @param burst requests one token subject at one address may send at once
 * @param perAddressPerSecond requests per second from one address, whatever their tokens
 * @param perAddressBurst requests one address may send at once
 * @param maxClients clients whose buckets an instance keeps at hand (about 1 KB each)
 */
@Validated
@ConfigurationProperties("ledgerline.api.rate-limit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("500") @Positive long perSecond,
    @DefaultValue("1000") @Positive long burst,
    @DefaultValue("2000") @Positive long perAddressPerSecond,
    @DefaultValue("4000") @Positive long perAddressBurst,
    @DefaultValue("20000") @Positive int maxClients) {}
