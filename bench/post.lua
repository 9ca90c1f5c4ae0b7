-- wrk: POST the JSON body in the file named by $BENCH_BODY (a provider's webhook event).
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
