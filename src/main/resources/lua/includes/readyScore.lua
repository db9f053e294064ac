-- readyScore(priority, seq): a job's score in the ready set, so that it orders by priority (1 first), then by
-- arrival (seq, from the queue's sequence counter).
-- Uses no KEYS or ARGV.
local function readyScore(priority, seq)
  return priority * 1e14 + seq
end
