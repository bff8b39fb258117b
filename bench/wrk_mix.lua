-- wrk script: the realistic camera mix, every push unique (UUID per request).
-- Used by bench/webhook_load.py --tool wrk; prints one JSON line with the answers it saw.
local threads = {}
local counter = 0
run_stamp = os.time()
local thread_id = 0
answers = {accepted = 0, duplicate = 0, ignored = 0, rejected = 0, other = 0}
statuses = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

local function uuid()
  counter = counter + 1
  return string.format("%08x-%04x-4000-8000-%012x", run_stamp, tid, counter)
end

local function now_local()
  return os.date("!%Y-%m-%dT%H:%M:%S", os.time() + 3 * 3600)
end

local function region_xml(kind, zone, target)
  return '<?xml version="1.0" encoding="utf-8"?>\n' ..
    '<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">' ..
    '<deviceSerial>WRK</deviceSerial><channelID>1</channelID><triggerTime>' .. now_local() ..
    '</triggerTime><eventType>' .. kind .. '</eventType><eventState>active</eventState>' ..
    '<DetectionRegionList><DetectionRegionEntry><regionID>' .. zone .. '</regionID>' ..
    (target and ('<detectionTarget>' .. target .. '</detectionTarget>') or '') ..
    '</DetectionRegionEntry></DetectionRegionList><UUID>' .. uuid() .. '</UUID>' ..
    '</EventNotificationAlert>'
end

local letters = "ABDEGHJKLNRSTUVXZ"
local function plate()
  local n = math.random(1, 500)
  local a = letters:sub(n % 17 + 1, n % 17 + 1)
  local b = letters:sub((n * 7) % 17 + 1, (n * 7) % 17 + 1)
  return a .. b .. "K" .. string.format("%04d", n)
end

local function anpr_xml()
  return '<?xml version="1.0" encoding="UTF-8"?>\n' ..
    '<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">' ..
    '<channelID>1</channelID><dateTime>' .. now_local() .. '+03:00</dateTime>' ..
    '<eventType>ANPR</eventType><eventState>active</eventState><UUID>' .. uuid() .. '</UUID>' ..
    '<ANPR><licensePlate>' .. plate() .. '</licensePlate><confidenceLevel>91</confidenceLevel>' ..
    '<direction>forward</direction></ANPR></EventNotificationAlert>'
end

local jpeg = "\255\216\255\224\0\16JFIF\0\1\1\0\0\1\0\1\0\0\255\217"

local function anpr_multipart()
  local boundary = "wrkboundary" .. counter
  local body = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="anpr.xml"; filename="anpr.xml"\r\n' ..
    "Content-Type: application/xml\r\n\r\n" .. anpr_xml() .. "\r\n--" .. boundary ..
    '\r\nContent-Disposition: form-data; name="licensePlatePicture.jpg"; filename="licensePlatePicture.jpg"\r\n' ..
    "Content-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n--" .. boundary .. "--\r\n"
  return body, "multipart/form-data; boundary=" .. boundary
end

local function access_json()
  return '{"eventType":"AccessControllerEvent","eventState":"active","dateTime":"' .. now_local() ..
    '+03:00","UUID":"' .. uuid() .. '","AccessControllerEvent":{"cardNo":"' .. plate() ..
    '","majorEventType":1,"subEventType":1}}'
end

local step = 0
function request()
  step = step + 1
  local k = step % 10
  local body, ctype, source
  if k < 3 then
    body, ctype, source = region_xml("fielddetection", "restricted-vip", "vehicle"), "application/xml", "192.168.1.101"
  elseif k < 5 then
    body, ctype, source = region_xml("regionEntrance", "parking-row-A"), "application/xml", "192.168.1.103"
  elseif k < 7 then
    body, ctype, source = region_xml("regionExiting", "parking-row-A"), "application/xml", "192.168.1.103"
  elseif k < 9 then
    body, ctype = anpr_multipart()
    source = "192.168.1.104"
  else
    body, ctype, source = access_json(), "application/json", "192.168.1.105"
  end
  return wrk.format("POST", "/api/v1/events/camera",
    {["Content-Type"] = ctype, ["X-Forwarded-For"] = source}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local answer = body:match('"status":"(%a+)"')
  if answers[answer] then answers[answer] = answers[answer] + 1 else answers.other = answers.other + 1 end
end

function done(summary, latency, requests)
  local total = {accepted = 0, duplicate = 0, ignored = 0, rejected = 0, other = 0}
  local codes = {}
  for _, thread in ipairs(threads) do
    local a = thread:get("answers")
    for key, value in pairs(a) do total[key] = total[key] + value end
    for code, value in pairs(thread:get("statuses")) do codes[tostring(code)] = (codes[tostring(code)] or 0) + value end
  end
  local parts = {}
  for code, value in pairs(codes) do table.insert(parts, string.format('"%s":%d', code, value)) end
  io.write(string.format(
    '{"requests":%d,"seconds":%.2f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"socket_errors":%d,' ..
    '"accepted":%d,"duplicate":%d,"ignored":%d,"rejected":%d,"other":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    total.accepted, total.duplicate, total.ignored, total.rejected, total.other, table.concat(parts, ",")))
end
