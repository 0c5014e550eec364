-- POSTs the AdmissionReview file named by REVIEW (webhook-serve writes one and prints its path).
local file = assert(io.open(os.getenv("REVIEW"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
