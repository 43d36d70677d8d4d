// The one Lua filter of the gateway. It sits just before the gRPC-JSON transcoder, so it sees the REST
// request before it is transcoded and the JSON answer after. It acts only on routes whose metadata (set by
// routes.ts from the contract) says `rest: true`:
//  - request: refuses a JSON body with a key that is not a field of the request (400, like the original
//    service: Envoy's transcoder would silently drop it), a `null` value, a string field given another JSON
//    type or holding NUL / an unpaired surrogate, and no body at all where the binding reads one (the same
//    refusals as the embedded gateway's request-message.ts, with a field violation); drops the trailing slash of the path, because the
//    transcoder's templates have none (see transcoder-descriptor.ts);
//  - response: sets the HTTP status the service asked for in `x-http-status` (201 for register, 202 for
//    resend, 201 or 200 for a friend request) on a successful answer, the edge plan's status of an error
//    whose code the transcoder maps otherwise (statusOverrides), and unwraps the `response_body`
//    field that Envoy's transcoder cannot select itself. `x-http-status` never leaves the gateway.
// The metadata key is the filter's own name, as Lua's `metadata()` reads it.
import { ERROR_DOMAIN, ErrorReason, reasonName } from "@identity/shared/errors.ts";
import { statusOverrides, transcodedStatusOf } from "../edge-plan.ts";

export const luaFilterName = "envoy.filters.http.lua";
export const dynamicMetadataNamespace = "identity.gateway";

const invalidRequest = reasonName(ErrorReason.INVALID_REQUEST);

/** The plan's status overrides as a Lua table: per status the transcoder answers, code -> the status wanted. */
export function luaStatusOverrides(overrides: typeof statusOverrides = statusOverrides): string {
  const byTranscoded = new Map<number, string[]>();
  for (const { code, status } of overrides) {
    const from = transcodedStatusOf(code);
    byTranscoded.set(from, [...(byTranscoded.get(from) ?? []), `[${code}] = "${status}"`]);
  }
  return `{ ${[...byTranscoded].map(([from, entries]) => `["${from}"] = { ${entries.join(", ")} }`).join(", ")} }`;
}

export const gatewayLua = `-- generated from gateway/src/envoy/gateway-lua.ts
-- The edge plan's status overrides (gateway/src/edge-plan.ts): per status the transcoder answered, the
-- google.rpc.Status codes whose REST status is another one.
local status_overrides = ${luaStatusOverrides()}

-- The keys of the top-level object of a JSON text, each with the position where its value starts (a
-- scanner, not a parser: the transcoder parses).
local function top_level_entries(json)
  local entries, depth, i = {}, 0, 1
  while true do
    local at, _, c = string.find(json, '(["{}%[%]])', i)
    if at == nil then return entries end
    if c == '"' then
      local j = at + 1
      while true do
        local q = string.find(json, '["\\\\]', j)
        if q == nil then return entries end
        if string.sub(json, q, q) == "\\\\" then j = q + 2 else j = q; break end
      end
      if depth == 1 then
        local _, colon = string.find(json, "^%s*:%s*", j + 1)
        if colon then entries[#entries + 1] = { key = string.sub(json, at + 1, j - 1), value = colon + 1 } end
      end
      i = j + 1
    else
      if c == "{" or c == "[" then depth = depth + 1 else depth = depth - 1 end
      i = at + 1
    end
  end
end

-- Whether the JSON string starting at position v holds NUL or an unpaired UTF-16 surrogate (as \\u escapes:
-- raw bytes of either are not valid JSON or UTF-8, which the transcoder refuses itself). PostgreSQL refuses
-- NUL in text; a lone surrogate is not a character.
local function bad_text(json, v)
  local i, pending_high = v + 1, false
  while i <= string.len(json) do
    local c = string.sub(json, i, i)
    if c == '"' then return pending_high end
    if c == "\\\\" then
      local e = string.sub(json, i + 1, i + 1)
      if e == "u" then
        local code = tonumber(string.sub(json, i + 2, i + 5), 16)
        if code == nil or code == 0 then return true end
        local high, low = code >= 0xD800 and code <= 0xDBFF, code >= 0xDC00 and code <= 0xDFFF
        if pending_high and not low then return true end
        if low and not pending_high then return true end
        pending_high = high
        i = i + 6
      else
        if pending_high then return true end
        i = i + 2
      end
    else
      if pending_high then return true end
      i = i + 1
    end
  end
  return false
end

local function refuse(handle, key, description)
  local name = string.match(key, "^[%w_.-]+$") and key or "?"
  -- Tells the local reply mapper (render.ts) that this body is already the final google.rpc.Status.
  handle:streamInfo():dynamicMetadata():set("${dynamicMetadataNamespace}", "final_body", true)
  local violations = ""
  if key ~= "" then
    violations = ',{"@type":"type.googleapis.com/google.rpc.BadRequest","field_violations":[{"field":"' .. name ..
      '","description":"' .. description .. '","reason":"${invalidRequest}"}]}'
  end
  local message = key ~= "" and (name .. ": " .. description) or description
  handle:respond({[":status"] = "400", ["content-type"] = "application/json"},
    '{"code":3,"message":"' .. message .. '","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",' ..
    '"reason":"${invalidRequest}","domain":"${ERROR_DOMAIN}"}' .. violations .. ']}')
end

function envoy_on_request(handle)
  local meta = handle:metadata()
  if meta:get("rest") ~= true then return end
  -- Read everything from handle objects first: body() yields until the body is buffered, and objects
  -- obtained before it (metadata, headers) are stale afterwards.
  local allowed = meta:get("body_fields") or ""
  local strings = meta:get("string_fields") or ""
  local body_required = meta:get("body_required") == true
  local response_body = meta:get("response_body") or ""
  if allowed ~= "" then
    local body = handle:body()
    if body == nil or body:length() == 0 then
      -- protobuf would read "no body" as "every field empty": PUT/PATCH with nothing would change nothing.
      if body_required then return refuse(handle, "", "A JSON request body is required.") end
    else
      local json = body:getBytes(0, body:length())
      -- The transcoder reads a JSON null (or any non-object) body as an empty message.
      if not string.find(json, "^%s*{") then return refuse(handle, "", "The request body must be a JSON object.") end
      for _, entry in ipairs(top_level_entries(json)) do
        local key, v = entry.key, entry.value
        if not string.find(allowed, "," .. key .. ",", 1, true) then return refuse(handle, key, "Unknown field.") end
        local first = string.sub(json, v, v)
        -- protobuf's JSON mapping reads null as "not set": {"bio": null} would pass for "".
        if string.sub(json, v, v + 3) == "null" then return refuse(handle, key, "must not be null") end
        if string.find(strings, "," .. key .. ",", 1, true) then
          if first ~= '"' then return refuse(handle, key, "must be a string") end
          if bad_text(json, v) then return refuse(handle, key, "must be text without NUL characters or unpaired surrogates") end
        end
      end
    end
  end
  local headers = handle:headers()
  local path = headers:get(":path")
  local bare, query = string.match(path, "^([^?]*)(.*)$")
  if string.len(bare) > 1 and string.sub(bare, -1) == "/" then
    headers:replace(":path", string.sub(bare, 1, -2) .. query)
  end
  handle:streamInfo():dynamicMetadata():set("${dynamicMetadataNamespace}", "response_body", response_body)
end

function envoy_on_response(handle)
  local headers = handle:headers()
  local wanted = headers:get("x-http-status")
  headers:remove("x-http-status")
  local rest = handle:streamInfo():dynamicMetadata():get("${dynamicMetadataNamespace}")
  if rest == nil then return end
  -- A REST client has no use for gRPC's status header: the HTTP status and the body say it all.
  headers:remove("grpc-status")
  headers:remove("grpc-message")
  local status = headers:get(":status")
  -- E.g. FAILED_PRECONDITION is 409 in the spec, 400 in Envoy's gRPC-to-HTTP table. The transcoded
  -- google.rpc.Status body names the code.
  local overrides = status_overrides[status]
  if overrides ~= nil then
    local body = handle:body()
    local code = body ~= nil and string.match(body:getBytes(0, math.min(body:length(), 16)), '^{"code":(%d+)[,}]')
    local wanted_status = code and overrides[tonumber(code)]
    if wanted_status then handle:headers():replace(":status", wanted_status) end
    return
  end
  if status ~= "200" then return end
  if wanted ~= nil and string.match(wanted, "^2%d%d$") and wanted ~= "204" then
    headers:replace(":status", wanted)
  end
  local field = rest["response_body"]
  if field == nil or field == "" then return end
  local body = handle:body()
  if body == nil then return end
  local json = body:getBytes(0, body:length())
  local prefix = '{"' .. field .. '":'
  if string.sub(json, 1, string.len(prefix)) == prefix and string.sub(json, -1) == "}" then
    body:setBytes(string.sub(json, string.len(prefix) + 1, -2))
  end
end
`;
