package io.srengine.video;

import java.nio.file.Path;

/**
 * Writes the clip tools/video-speed.sh measures with: {@code SpeedClip OUT.mp4 WIDTH HEIGHT FRAMES},
 * 29.97 fps H.264 (OpenH264) with stereo AAC, TestClips' moving pattern.
 */
public final class SpeedClip {
    private SpeedClip() {}

    public static void main(String[] args) {
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        TestClips.write(Path.of(args[0]), TestClips.clip(w, h, frames, 30000, 1001).audio("aac", 48000, 2));
    }
}
