package dev.slipway.store;

import dev.slipway.image.Digest;

/** A blob in the content store: its digest and its size in bytes. */
public record Blob(Digest digest, long size) {
}
