/**
 * Video upscaling: {@link io.srengine.video.VideoUpscaler} decodes a video with FFmpeg, runs every
 * frame through an {@link io.srengine.upscale.Upscaler} and encodes the result, keeping timing, audio,
 * subtitles and colour metadata.
 */
module io.srengine.video {
    requires transitive io.srengine.upscale;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.ffmpeg;

    exports io.srengine.video;
}
