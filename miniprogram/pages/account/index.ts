import { definePage } from '../../utils/define'

definePage()({
  data: {},
  methods: {
    onLoad() {},
  },
})
