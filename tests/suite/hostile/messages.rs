//! What a new user trips on (issue 15's list of findings): each message names the file, the
//! line and the column, shows a short snippet, and gives advice.

use super::{accord, all, code, path, scratch, small_pack, PACK};
