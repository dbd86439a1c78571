package io.loggia.perf.lean;

import org.agrona.DirectBuffer;

/**
 * What a {@link FetchResponseStream} hands a tail-following consumer: the moment a response frame began to arrive,
 * then the value of every record of every whole, uncompressed batch in it. Called on the stream's thread; the
 * buffer is valid only during the call.
 */
public interface RecordVisitor
{
    /** A response frame began to arrive; its records became available to the application now. */
    void onFrame();

    /**
     * @param buffer the window holding the value.
     * @param offset where the value starts.
     * @param length its length, -1 for a null value.
     */
    void onValue(DirectBuffer buffer, int offset, int length);

    /** A whole batch that is compressed, or too large for the read window: counted, its records not visited. */
    void onSkippedBatch(int records);

    /** The frame begun by {@link #onFrame()} has been read to its end, whatever the result. */
    void onFrameEnd();
}
