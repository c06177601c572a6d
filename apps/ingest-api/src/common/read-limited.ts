/**
 * A body as text, or undefined when it holds more than `limit` bytes. Past the limit the rest is
 * read and dropped rather than the stream destroyed: destroying it resets the connection, so the
 * client would see ECONNRESET instead of the 413 that says keep-alive. Dropping holds no memory,
 * and the server's requestTimeout bounds how long a client may keep sending.
 */
export async function readLimited(stream: AsyncIterable<Buffer>, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}
