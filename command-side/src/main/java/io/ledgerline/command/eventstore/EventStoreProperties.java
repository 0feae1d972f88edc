package io.ledgerline.command.eventstore;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
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
 * @param fetchDelay how long the read-ahead waits before it reads the store again when its last
 *     read found nothing new, unless an append on this instance wakes it first. Appends of other
 *     instances never wake it, and with Axon's default (1 s) the transfer process took its first
 *     step about 0.9 s after each {@code TransferRequested} in the benchmark's P2, whose clients
 *     each wait for their transfer (transfers completed p50 1,055 ms; 353 ms with 50 ms). An idle
 *     read is two indexed queries that find nothing (the range after the last position, then Axon's
 *     lowest position ahead of it): 40 a second per instance.
 * @param readAheadInterval the least time between the starts of two reads of the read-ahead, so
 *     that under load each read takes what the appends of that time left, instead of one read per
 *     append or two (see {@link BoundedReadAheadStorageEngine}); an event reaches the processors at
 *     most this much later
 */
@Validated
@ConfigurationProperties("ledgerline.event-store")
record EventStoreProperties(
    @DefaultValue("PT60S") Duration gapTimeout,
    @DefaultValue("250") @Min(1) int gapCleaningThreshold,
    @DefaultValue("1000000") @Min(1000) int maxGapOffset,
    @DefaultValue("1000") @Min(10) int cachedEvents,
    @DefaultValue("PT0.2S") Duration cleanupDelay,
    @DefaultValue("PT0.05S") @DurationMin(millis = 1) Duration fetchDelay,
    @DefaultValue("PT0.01S") @DurationMin(millis = 0) @DurationMax(millis = 1000)
        Duration readAheadInterval) {}
