package dev.sluice.raftstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-place encoder must give String.getBytes(UTF_8)'s bytes for every string: they are in logs and stores. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Utf8Test {
    private static final char HIGH = '\uD83D';
    private static final char LOW = '\uDE00';

    @Test
    void encodesEveryEdgeCaseExactlyAsStringGetBytes() {
        List<String> cases = List.of("", "a", "plain ascii", "\u007F\u0080", "caf\u00E9 \u00FF", "\u07FF\u0800",
                "\u20AC \uFFFF \uFFFD", "\u4E2D\u6587", "" + HIGH + LOW, "x" + HIGH + LOW + "y",
                "" + HIGH, "" + LOW, HIGH + "x", LOW + "x", "x" + HIGH, "x" + LOW, "x" + HIGH + "y", "x" + LOW + "y",
                "" + LOW + HIGH, "" + HIGH + HIGH + LOW, "" + HIGH + LOW + LOW, "" + HIGH + HIGH, "" + LOW + LOW,
                "\uDBFF\uDFFF", "\uD800\uDC00", "\u0000", "a".repeat(70_000), "\u00E9\u4E2D".repeat(40_000) + HIGH);
        cases.forEach(Utf8Test::assertEncodesLikeTheJdk);
    }

    @Test
    void encodesRandomStringsOfEveryKindExactlyAsStringGetBytes() {
        SplittableRandom random = new SplittableRandom(17);
        for (int n = 0; n < 20_000; n++) {
            assertEncodesLikeTheJdk(randomString(random, random.nextInt(n % 100 == 0 ? 2_000 : 40)));
        }
    }

    @Test
    void aWriterSizedExactlyHandsOverItsBufferAndStaysCorrectWhenWrittenOn() {
        String text = "caf\u00E9 " + HIGH + LOW + LOW;
        BinaryWriter out = new BinaryWriter(1 + BinaryWriter.stringBytes(text) + BinaryWriter.stringBytes(null));
        byte[] first = out.putByte(7).putString(text).putString(null).toByteArray();
        assertEquals(1 + 4 + text.getBytes(StandardCharsets.UTF_8).length + 4, first.length);
        assertSame(first, out.toByteArray(), "no copy of an exactly full buffer");
        byte[] before = first.clone();
        byte[] second = out.putLong(42).toByteArray();
        assertArrayEquals(before, first, "a write after the hand-over does not show in the handed-over bytes");
        BinaryReader in = new BinaryReader(second);
        assertEquals(7, in.getByte());
        assertEquals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), in.getString());
        assertEquals(null, in.getString());
        assertEquals(42, in.getLong());
    }

    @Test
    void longStringsAreSizedByTheirCharsWithoutAScanAndStillEncodeExactly() {
        String ascii = "a".repeat(BinaryWriter.IN_PLACE_MAX_CHARS + 1);
        String wide = "\u00E9\u4E2D".repeat(BinaryWriter.IN_PLACE_MAX_CHARS) + HIGH;
        assertEquals(4 + ascii.length(), BinaryWriter.stringBytes(ascii), "exact for a long ASCII string");
        assertEquals(4 + wide.length(), BinaryWriter.stringBytes(wide), "the char count: short of the UTF-8 length");
        for (String text : List.of(ascii, wide)) {
            byte[] sized = new BinaryWriter(BinaryWriter.stringBytes(text)).putString(text).toByteArray();
            assertArrayEquals(new BinaryWriter(1).putBytes(text.getBytes(StandardCharsets.UTF_8)).toByteArray(), sized);
        }
    }

    @Test
    void stringsRoundTripThroughHeapAndReadOnlyBuffers() {
        SplittableRandom random = new SplittableRandom(18);
        List<String> written = new ArrayList<>();
        BinaryWriter out = new BinaryWriter();
        for (int n = 0; n < 500; n++) {
            String value = n % 50 == 0 ? null : randomString(random, random.nextInt(300));
            written.add(value);
            out.putString(value).putInt(n);
        }
        byte[] bytes = out.toByteArray();
        byte[] framed = new byte[bytes.length + 5];
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        List<BinaryReader> readers = List.of(new BinaryReader(bytes),
                new BinaryReader(java.nio.ByteBuffer.wrap(framed, 3, bytes.length)),
                new BinaryReader(java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
        for (BinaryReader in : readers) {
            for (int n = 0; n < written.size(); n++) {
                String expected = written.get(n) == null ? null
                        : new String(written.get(n).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                assertEquals(expected, in.getString());
                assertEquals(n, in.getInt());
            }
            assertEquals(0, in.remaining());
        }
    }

    private static void assertEncodesLikeTheJdk(String value) {
        byte[] expected = value.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, Utf8.encodedLength(value), () -> "length of " + escaped(value));
        byte[] actual = new byte[expected.length + 2];
        assertEquals(expected.length + 1, Utf8.encode(value, actual, 1));
        byte[] inner = java.util.Arrays.copyOfRange(actual, 1, expected.length + 1);
        assertArrayEquals(expected, inner, () -> "bytes of " + escaped(value));
        byte[] framed = new BinaryWriter(1).putString(value).toByteArray();
        assertArrayEquals(new BinaryWriter(1).putBytes(expected).toByteArray(), framed);
    }

    /** Mixes ASCII, Latin-1, BMP, surrogate pairs and unpaired high and low surrogates anywhere in the string. */
    private static String randomString(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(7)) {
                case 0, 1 -> text.append((char) random.nextInt(0x80));
                case 2 -> text.append((char) random.nextInt(0x80, 0x800));
                case 3 -> text.append((char) random.nextInt(0x800, 0x10000));
                case 4 -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 5 -> text.append((char) random.nextInt(0xD800, 0xDC00));
                default -> text.append((char) random.nextInt(0xDC00, 0xE000));
            }
        }
        return text.toString();
    }

    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().limit(40).forEach(c -> out.append(String.format("\\u%04X", c)));
        return out.toString();
    }
}
