"""A stand-in for the IVR's FastAGI survey route (``ivr/`` brings the real one): it reads the
attempt from HOTLINE_REVISIT_ID, checks the call's HOTLINE_REVISIT_TOKEN, takes two keys
(rating, solved) and records them through the same survey port the real route calls."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from hotline.revisits.survey import RevisitSurveyRecords

log = logging.getLogger(__name__)


@dataclass
class StandInSurvey:
    """FastAGI on ``host:port``; what each call showed is kept in ``seen``."""

    survey: RevisitSurveyRecords
    seen: list[dict[str, str]] = field(default_factory=list)
    _server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._call, host, port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _call(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        env: dict[str, str] = {}
        try:
            while (line := (await reader.readline()).decode().strip()):
                name, _, value = line.partition(": ")
                env[name] = value
            attempt = await self._command(reader, writer, "GET VARIABLE HOTLINE_REVISIT_ID")
            env["revisit_id"] = attempt.partition("(")[2].rstrip(")")
            token = await self._command(reader, writer, "GET VARIABLE HOTLINE_REVISIT_TOKEN")
            env["verified"] = str(await self.survey.verify(
                env["revisit_id"], token.partition("(")[2].rstrip(")")))
            self.seen.append(env)
            if env["verified"] != "True":  # as the real route: nothing read, nothing recorded
                return
            script = await self.survey.script(env["revisit_id"])
            if script is None:
                return
            rating_key = await self._digit(reader, writer)
            solved_key = await self._digit(reader, writer)
            if not rating_key.isdigit() or not 1 <= int(rating_key) <= len(script.scale):
                await self.survey.abandoned(env["revisit_id"], "no valid rating")
                return
            await self.survey.answered(env["revisit_id"], script.scale[int(rating_key) - 1],
                                       solved_key == "1", False)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.survey.abandoned(env.get("revisit_id", ""), "hung up mid-survey")
        finally:
            with contextlib.suppress(ConnectionError):
                writer.close()

    async def _command(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       command: str) -> str:
        writer.write(f"{command}\n".encode())
        await writer.drain()
        while True:
            line = (await reader.readline()).decode()
            if not line:
                raise ConnectionError("the channel left")
            if line.startswith("200"):
                return line.strip()
            if line.startswith("HANGUP"):
                raise ConnectionError("hung up")

    async def _digit(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
        answer = await self._command(reader, writer, "WAIT FOR DIGIT 8000")
        code = int(answer.split("result=")[1].split()[0])
        return chr(code) if code > 0 else ""
