-- A burst: the scenario in BURST_SCENARIO (e.g. /work/shared/peer/wrk/mixed.lua), as fast as
-- the server answers, stopped after BURST_PUSHES answers per wrk thread. wrk itself runs on
-- until -d, so the thread prints BURST_SENT at that point and the caller sends SIGINT (wrk
-- then prints its summary, with the duration up to the signal).
-- usage: BURST_SCENARIO=.../mixed.lua BURST_PUSHES=5000 wrk -t1 -c16 -d120s -s bench/wrk_burst.lua URL -- 1
dofile(os.getenv("BURST_SCENARIO"))
local limit = tonumber(os.getenv("BURST_PUSHES") or "5000")
local scenario_response = response
local answered = 0
response = function(status, headers, body)
  scenario_response(status, headers, body)
  answered = answered + 1
  if answered == limit then
    io.write("BURST_SENT\n")
    io.flush()
    wrk.thread:stop()
  end
end
