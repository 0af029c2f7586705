create_sm 64 owner=32 -> SUCCESS
create_sm 64 owner=32            -> BAD_CAPS
