#!/usr/bin/env python3
"""delay_proxy: a TCP proxy that holds every byte DELAY_MS in each direction,
the way a jump host or a long link does (latency, not bandwidth): order is
kept, chunks are forwarded as they came, each DELAY_MS after it was read.

    delay_proxy.py DELAY_MS TARGET_HOST TARGET_PORT

Listens on 127.0.0.1 on a free port and prints "listening on PORT" once it
is ready. Runs until killed. For bench/remote_ui.sh; not part of signoff.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    """Copy reader to writer, each chunk delay seconds after it came."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def send():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            queue.put_nowait((loop.time() + delay, data))
    except ConnectionError:
        pass
    queue.put_nowait((loop.time() + delay, None))
    try:
        await sender
    except ConnectionError:
        pass


async def main():
    delay = int(sys.argv[1]) / 1000.0
    host, port = sys.argv[2], int(sys.argv[3])

    async def client(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection(host, port)
        except OSError:
            cwriter.close()
            return
        await asyncio.gather(pipe(creader, swriter, delay),
                             pipe(sreader, cwriter, delay))

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    print("listening on %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: delay_proxy.py DELAY_MS TARGET_HOST TARGET_PORT")
    asyncio.run(main())
