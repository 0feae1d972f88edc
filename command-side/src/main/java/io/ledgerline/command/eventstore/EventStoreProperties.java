package io.ledgerline.command.eventstore;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the event store's readers treat gaps and how far they read ahead ({@code
 * ledgerline.event-store.*}).
 *
 * @param gapTimeout how long a gap is waited for before a tracking processor gives it up; must
 *     exceed the longest transaction that appends events
 * @param gapCleaningThreshold the number of gaps at which old ones are cleaned
 * @param maxGapOffset how many positions behind the head a gap is still tracked
 * @param cachedEvents how many events the event store reads ahead for its tracking processors
 * @param cleanupDelay how often a tracking processor that fell behind the read-ahead is moved to a
 *     stream of its own: until then it holds every event read since its position (see {@link
 *     EventStoreConfiguration#eventStore})
 */
@Validated
@ConfigurationProperties("ledgerline.event-store")
record EventStoreProperties(
    @DefaultValue("PT60S") Duration gapTimeout,
    @DefaultValue("250") @Min(1) int gapCleaningThreshold,
    @DefaultValue("1000000") @Min(1000) int maxGapOffset,
    @DefaultValue("1000") @Min(10) int cachedEvents,
    @DefaultValue("PT0.2S") Duration cleanupDelay) {}
