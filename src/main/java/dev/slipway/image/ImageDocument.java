package dev.slipway.image;

/** One of the JSON documents an image is made of; {@link ImageJson} reads and writes them. */
public sealed interface ImageDocument permits Manifest, ImageIndex, ImageConfig {
}
