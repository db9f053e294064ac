-- A script whose include does not exist: loading it must fail, naming the file.
--- @include "includes/no-such-helper"
return 1
