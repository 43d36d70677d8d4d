-- POST /api/auth/refresh/ with rotation: every refresh token is presented once. Each thread keeps a queue of
-- unspent tokens (its share of the lines of BENCH_TOKENS_FILE, one session each): a request takes the oldest,
-- its answer's new refresh token goes to the back. Presenting a spent token would revoke the session, so a
-- thread whose queue runs dry (only after failed answers) stops instead.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

local queue, first, last = {}, 1, 0

function init(args)
  local count = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
    if i % count == thread_index and #line > 0 then
      last = last + 1
      queue[last] = line
    end
    i = i + 1
  end
end

function request()
  if first > last then
    wrk.thread:stop()
    return wrk.format("GET", "/")
  end
  local token = queue[first]
  queue[first] = nil
  first = first + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, '{"refresh":"' .. token .. '"}')
end

function response(status, headers, body)
  if status ~= 200 then return end
  local token = body:match('"refresh"%s*:%s*"([^"]+)"')
  if token then
    last = last + 1
    queue[last] = token
  end
end
