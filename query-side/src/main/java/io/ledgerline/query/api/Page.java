package io.ledgerline.query.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of results.
 *
 * @param items the results
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
public record Page<T>(
    List<T> items,
    @Schema(description = "Pass as `cursor` to get the next page; null on the last page")
        String nextCursor) {}
