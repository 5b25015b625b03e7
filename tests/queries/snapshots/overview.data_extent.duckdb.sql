SELECT min(requests.ts) AS first_ts, max(requests.ts) AS last_ts, count(*) AS requests 
FROM requests
