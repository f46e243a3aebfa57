"""A local SMTP server for the digest tests: writes each message it receives to DIR as
N.eml, with the envelope recipients in N.rcpt. Usage: smtp_sink.py PORT DIR"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 OK"


async def main(port, folder):
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    with open(os.path.join(folder, "ready"), "w") as f:
        f.write("ok")
    while True:
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
