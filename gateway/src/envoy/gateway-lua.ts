// The one Lua filter of the gateway. It sits just before the gRPC-JSON transcoder, so it sees the REST
// request before it is transcoded and the JSON answer after. It acts only on routes whose metadata (set by
// routes.ts from the contract) says `rest: true`:
//  - request: refuses a JSON body with a key that is not a field of the request (400, like the original
//    service: Envoy's transcoder would silently drop it); drops the trailing slash of the path, because the
//    transcoder's templates have none (see transcoder-descriptor.ts);
//  - response: sets the HTTP status the service asked for in `x-http-status` (201 for register, 202 for
//    resend, 201 or 200 for a friend request) on a successful answer, and unwraps the `response_body`
//    field that Envoy's transcoder cannot select itself. `x-http-status` never leaves the gateway.
// The metadata key is the filter's own name, as Lua's `metadata()` reads it.
export const luaFilterName = "envoy.filters.http.lua";
export const dynamicMetadataNamespace = "identity.gateway";

export const gatewayLua = `-- generated from gateway/src/envoy/gateway-lua.ts
-- The keys of the top-level object of a JSON text (a scanner, not a parser: the transcoder parses).
local function top_level_keys(json)
  local keys, depth, i = {}, 0, 1
  while true do
    local at, _, c = string.find(json, '(["{}%[%]])', i)
    if at == nil then return keys end
    if c == '"' then
      local j = at + 1
      while true do
        local q = string.find(json, '["\\\\]', j)
        if q == nil then return keys end
        if string.sub(json, q, q) == "\\\\" then j = q + 2 else j = q; break end
      end
      if depth == 1 and string.find(json, "^%s*:", j + 1) then keys[#keys + 1] = string.sub(json, at + 1, j - 1) end
      i = j + 1
    else
      if c == "{" or c == "[" then depth = depth + 1 else depth = depth - 1 end
      i = at + 1
    end
  end
end

local function refuse_unknown(handle, key)
  local name = string.match(key, "^[%w_.-]+$") and key or "?"
  -- Tells the local reply mapper (render.ts) that this body is already the final google.rpc.Status.
  handle:streamInfo():dynamicMetadata():set("${dynamicMetadataNamespace}", "final_body", true)
  handle:respond({[":status"] = "400", ["content-type"] = "application/json"},
    '{"code":3,"message":"Unknown field: ' .. name .. '.","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest",' ..
    '"field_violations":[{"field":"' .. name .. '","description":"Unknown field."}]}]}')
end

function envoy_on_request(handle)
  local meta = handle:metadata()
  if meta:get("rest") ~= true then return end
  -- Read everything from handle objects first: body() yields until the body is buffered, and objects
  -- obtained before it (metadata, headers) are stale afterwards.
  local allowed = meta:get("body_fields") or ""
  local response_body = meta:get("response_body") or ""
  if allowed ~= "" then
    local body = handle:body()
    if body ~= nil and body:length() > 0 then
      for _, key in ipairs(top_level_keys(body:getBytes(0, body:length()))) do
        if not string.find(allowed, "," .. key .. ",", 1, true) then return refuse_unknown(handle, key) end
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
  -- The spec answers FAILED_PRECONDITION (a conflict with the resource's state) with 409; Envoy's
  -- gRPC-to-HTTP table says 400. The transcoded google.rpc.Status body names the code.
  if status == "400" then
    local body = handle:body()
    if body ~= nil and string.find(body:getBytes(0, math.min(body:length(), 16)), '^{"code":9[,}]') then
      handle:headers():replace(":status", "409")
    end
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
